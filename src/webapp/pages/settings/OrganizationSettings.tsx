import { Button, Field, Input, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import type { Organization } from "../../../shared/organizations";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "./change";
import { useMessages } from "../../i18n/language";
import { settingsMessages } from "./settings-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "36em" },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

/** The organisation's name and its own mail domains: mail among them is internal, never logged. */
export function OrganizationSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const organization = useQuery({ queryKey: ["organization"], queryFn: () => api("getOrganization", {}) });
  const t = useMessages(settingsMessages);
  return (
    <Section title={t.organisationSection}>
      {organization.isPending && <Loading label={t.loadingOrganisation} />}
      {organization.isError && (
        <ProblemMessage
          error={organization.error}
          onRetry={() => void organization.refetch()}
          what={t.organisationNotLoaded}
        />
      )}
      {organization.data &&
        (admin ? (
          <OrganizationForm organization={organization.data} />
        ) : (
          <OrganizationView organization={organization.data} />
        ))}
    </Section>
  );
}

function OrganizationView({ organization }: { organization: Organization }) {
  const styles = useStyles();
  const t = useMessages(settingsMessages);
  return (
    <>
      <Text>
        <Text weight="semibold">{t.nameColon}</Text> {organization.name}
      </Text>
      <Text weight="semibold">{t.internalDomains}</Text>
      {organization.internalDomains.length === 0 ? (
        <EmptyState>{t.noInternalDomains}</EmptyState>
      ) : (
        <ul className={styles.list} aria-label={t.internalDomains}>
          {organization.internalDomains.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function OrganizationForm({ organization }: { organization: Organization }) {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(settingsMessages);
  const [name, setName] = useState(organization.name);
  const [domains, setDomains] = useState(organization.internalDomains.join("\n"));
  useEffect(() => {
    setName(organization.name);
    setDomains(organization.internalDomains.join("\n"));
  }, [organization]);
  const save = useChange(
    () =>
      api("updateOrganization", {
        body: {
          name: name.trim(),
          internalDomains: domains
            .split(/[\s,]+/)
            .map((d) => d.trim())
            .filter(Boolean),
          version: organization.version,
        },
      }),
    [["organization"], ["me"]],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className={styles.form} aria-label={t.organisation} onSubmit={submit}>
      <Field label={t.name} required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={t.internalDomains} hint={t.internalDomainsHint}>
        <Textarea value={domains} onChange={(_, d) => setDomains(d.value)} rows={4} resize="vertical" />
      </Field>
      <div>
        <Button type="submit" appearance="primary" disabled={!name.trim() || save.isPending}>
          {t.saveOrganisation}
        </Button>
      </div>
      <ChangeStatus change={save} what={t.organisationNotSaved} />
    </form>
  );
}
