import { Button, Switch, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { SignOutRegular } from "@fluentui/react-icons/svg/sign-out";
import { Suspense, lazy, useEffect } from "react";
import { useMe } from "../hooks";
import { pageFor, pages } from "../navigation";
import { AppLink, usePath } from "../router";
import { useWebApp } from "../services";
import { useDarkTheme } from "../theme";
import { useMessages } from "../i18n/language";
import { EmptyState } from "./EmptyState";
import { LanguageMenu } from "./LanguageMenu";
import { Loading } from "./Loading";
import { ProblemMessage } from "./ProblemMessage";
import { shellMessages } from "./shell-messages";

// Shown only while an organisation has no admin: its words wait in their own chunk until then.
const NoAdminNotice = lazy(() =>
  import(/* webpackChunkName: "webapp-no-admin" */ "./NoAdminNotice").then((m) => ({
    default: m.NoAdminNotice,
  })),
);

const useStyles = makeStyles({
  shell: {
    display: "grid",
    gridTemplateColumns: "minmax(180px, 220px) 1fr",
    gridTemplateRows: "auto 1fr",
    minHeight: "100vh",
    "@media (max-width: 700px)": { gridTemplateColumns: "1fr" },
  },
  skip: {
    position: "absolute",
    left: "-10000px",
    ":focus": { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 1 },
  },
  header: {
    gridColumn: "1 / -1",
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  brand: { flexGrow: 1 },
  nav: {
    padding: tokens.spacingVerticalM,
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  navList: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  navLink: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: "none",
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover, textDecorationLine: "none" },
  },
  current: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    fontWeight: tokens.fontWeightSemibold,
  },
  main: { padding: tokens.spacingHorizontalXL, minWidth: 0 },
});

/** The frame of every page: who is signed in, the theme toggle, the navigation, and the page. */
export function Shell() {
  const styles = useStyles();
  const path = usePath();
  const found = pageFor(path);
  const { signOut } = useWebApp();
  const me = useMe();
  const [dark, setDark] = useDarkTheme();
  const t = useMessages(shellMessages);
  const title = found ? t[found.page.name] : null;

  useEffect(() => {
    document.title = title ? `${title} · Rapport` : "Rapport";
  }, [title]);

  const Page = found?.page.component;
  const subpath = found?.subpath ?? "";
  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">
        {t.skipToContent}
      </a>
      <header className={styles.header}>
        <Text className={styles.brand} size={500} weight="semibold">
          Rapport
        </Text>
        {me.data && (
          <Text>
            {me.data.user.displayName ?? me.data.user.email} ·{" "}
            {me.data.user.role === "admin" ? t.admin : t.member}
          </Text>
        )}
        <LanguageMenu />
        <Switch label={t.darkTheme} checked={dark} onChange={(_, d) => setDark(d.checked)} />
        <Button icon={<SignOutRegular />} onClick={signOut}>
          {t.signOut}
        </Button>
      </header>
      <nav className={styles.nav} aria-label="Rapport">
        <ul className={styles.navList}>
          {pages.map((p) => {
            const Icon = p.icon;
            const current = found?.page === p;
            return (
              <li key={p.path}>
                <AppLink
                  to={p.path}
                  className={mergeClasses(styles.navLink, current && styles.current)}
                  current={current}
                >
                  <Icon aria-hidden="true" />
                  {t[p.name]}
                </AppLink>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" className={styles.main} tabIndex={-1}>
        {me.isError && (
          <ProblemMessage error={me.error} onRetry={() => void me.refetch()} what={t.accountUnreadable} />
        )}
        {me.data && !me.data.organization.hasAdmin && (
          <Suspense fallback={null}>
            <NoAdminNotice />
          </Suspense>
        )}
        {Page ? (
          <Suspense fallback={<Loading label={t.loadingPage} />}>
            <Page subpath={subpath} />
          </Suspense>
        ) : (
          <EmptyState>{t.noSuchPage}</EmptyState>
        )}
      </main>
    </div>
  );
}
