import { type BundleReport, measureBundles } from "../../scripts/bench/pane";

/** What Outlook loads before the pane can paint a known sender's profile, gzipped (Odoo's Outlook pane: 243 KB). */
const PANE_FIRST_LOAD_BUDGET_KB = 200;

/**
 * Parts that are chunks of their own, loaded on first use and prefetched when the pane is idle: the profile of a
 * known sender paints without any of them.
 */
const NOT_IN_FIRST_LOAD = [
  "src/addin/taskpane/components/DealStage.tsx",
  "src/addin/taskpane/components/DealMenu.tsx",
  "src/addin/taskpane/components/LogOnSendSwitch.tsx",
  "src/addin/taskpane/components/ParticipantTabs.tsx",
  "src/addin/taskpane/components/QuickActions.tsx",
  "src/addin/taskpane/components/QuickForms.tsx",
  "src/addin/taskpane/components/CustomFields.tsx",
  "src/addin/taskpane/components/CustomFieldEditor.tsx",
  "src/addin/taskpane/components/UnknownPerson.tsx",
  "src/addin/taskpane/components/SettingsPanel.tsx",
  "src/addin/taskpane/components/today/Today.tsx",
  "src/addin/taskpane/components/ComposeTemplates.tsx",
  "src/addin/taskpane/components/CompanyAccount.tsx",
  "src/addin/taskpane/components/ComposeQuotes.tsx",
  "src/addin/auth/naa-sign-in.ts",
  "src/addin/office/office-mailbox.ts",
];

describe("the production build's first load", () => {
  let pane: BundleReport;
  beforeAll(async () => {
    ({ taskpane: pane } = await measureBundles(["taskpane"], { modules: true }));
  }, 600_000);

  test(`the task pane's is at most ${PANE_FIRST_LOAD_BUDGET_KB} KB gzipped`, () => {
    // A failure prints the KB measured, so it says by how much a change went over.
    expect(pane.initial.gzip / 1024).toBeLessThanOrEqual(PANE_FIRST_LOAD_BUDGET_KB);
  });

  test("holds the profile and leaves the forms, Today, settings, the controls and the sign-in to their chunks", () => {
    const modules = pane.initialModules ?? [];
    expect(modules).toEqual(
      expect.arrayContaining([
        "src/addin/taskpane/components/ContactProfileView.tsx",
        "src/addin/taskpane/components/Timeline.tsx",
        expect.stringMatching(/^node_modules\/react-dom\//),
      ]),
    );
    expect(modules.filter((name) => NOT_IN_FIRST_LOAD.includes(name))).toEqual([]);
    // Nor the Fluent components only those parts use: the dropdown, the menu, the switch, the tabs.
    expect(
      modules.filter((name) =>
        /node_modules\/(.*\/)?@fluentui\/react-(combobox|menu|switch|tabs|positioning)\//.test(name),
      ),
    ).toEqual([]);
  });
});
