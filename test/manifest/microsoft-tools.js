// Microsoft's manifest tools, run by manifest.test.ts in a plain Node process: @microsoft/app-manifest requires
// strip-bom 5, an ES module, which Node 20.19 loads from CommonJS and jest's module registry refuses.
//
//   node test/manifest/microsoft-tools.js <manifest.xml> <work dir>
//
// Reads the XML with office-addin-manifest, converts it to the unified manifest with
// office-addin-manifest-converter, validates the JSON against the schema @microsoft/app-manifest ships, and
// writes what it found to <work dir>/result.json. It must all work offline, so every network connection is
// refused and recorded first (http, https, node-fetch and fetch all open a net.Socket).
const net = require("node:net");
const path = require("node:path");
const { readFileSync, writeFileSync } = require("node:fs");

const connections = [];
net.Socket.prototype.connect = function refuse(...args) {
  connections.push(JSON.stringify(args[0]));
  throw new Error("network access during an offline manifest check");
};

const { OfficeAddinManifest, validateManifest } = require("office-addin-manifest");
const { convert } = require("office-addin-manifest-converter");
const { AppManifestUtils } = require("@microsoft/app-manifest");

async function main() {
  const [xmlPath, workDir] = process.argv.slice(2);
  const info = await OfficeAddinManifest.readManifestFile(xmlPath);

  const unifiedDir = path.join(workDir, "unified");
  // imageDownload false: the converter keeps icon URLs instead of fetching them.
  await convert(xmlPath, unifiedDir, false, null, null, false);
  const jsonPath = path.join(unifiedDir, "manifest.json");
  const unified = JSON.parse(readFileSync(jsonPath, "utf8"));

  // office-addin-manifest's validator: for .json files, AppManifestUtils.validateAgainstSchema.
  const validation = await validateManifest(jsonPath);

  // The same check with the schema read from @microsoft/app-manifest's own package, so nothing can fetch it.
  const version = /\/teams\/(v[\d.]+|vDevPreview)\/MicrosoftTeams\.schema\.json/.exec(unified.$schema)?.[1];
  const schemaFile = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/${version}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(
    await AppManifestUtils.readTeamsManifest(jsonPath),
    schema,
  );

  // And the validator is live: a copy with a malformed id must fail.
  const brokenPath = path.join(workDir, "broken.json");
  writeFileSync(brokenPath, JSON.stringify({ ...unified, id: "not-a-guid" }));
  const broken = await validateManifest(brokenPath);

  const result = { info, unified, validation, schemaFile, schemaErrors, broken, connections };
  writeFileSync(path.join(workDir, "result.json"), JSON.stringify(result, null, 2));
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
