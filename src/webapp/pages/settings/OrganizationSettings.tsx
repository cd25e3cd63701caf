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

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "36em" },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
});

/** The organisation's name and its own mail domains: mail among them is internal, never logged. */
export function OrganizationSettings({ admin }: { admin: boolean }) {
  const { api } = useWebApp();
  const organization = useQuery({ queryKey: ["organization"], queryFn: () => api("getOrganization", {}) });
  return (
    <Section title="Organisation and internal domains">
      {organization.isPending && <Loading label="Loading the organisation…" />}
      {organization.isError && (
        <ProblemMessage
          error={organization.error}
          onRetry={() => void organization.refetch()}
          what="The organisation could not be loaded"
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
  return (
    <>
      <Text>
        <Text weight="semibold">Name:</Text> {organization.name}
      </Text>
      <Text weight="semibold">Internal domains</Text>
      {organization.internalDomains.length === 0 ? (
        <EmptyState>No internal domains: every domain is treated as external.</EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Internal domains">
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
    <form className={styles.form} aria-label="Organisation" onSubmit={submit}>
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field
        label="Internal domains"
        hint="One per line, e.g. contoso.com: mail among them is never logged, and they never become a company."
      >
        <Textarea value={domains} onChange={(_, d) => setDomains(d.value)} rows={4} resize="vertical" />
      </Field>
      <div>
        <Button type="submit" appearance="primary" disabled={!name.trim() || save.isPending}>
          Save organisation
        </Button>
      </div>
      <ChangeStatus change={save} what="The organisation was not saved" />
    </form>
  );
}
