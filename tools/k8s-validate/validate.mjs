// Validates the resources a kustomization.yaml lists against the Kubernetes API schemas bundled in kubernetes-models
// (no network, no cluster). Prints one JSON line per resource, {"file","kind","name","errors":[...]}, and exits 1 when
// any resource fails or cannot be checked. Usage: node validate.mjs DIRECTORY
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse } from "yaml";

const directory = process.argv[2];
if (!directory) {
  console.error("usage: node validate.mjs DIRECTORY (with a kustomization.yaml)");
  process.exit(2);
}
const kustomization = parse(readFileSync(join(directory, "kustomization.yaml"), "utf8"));
let failed = false;
for (const file of kustomization.resources ?? []) {
  for (const document of parseAllDocuments(readFileSync(join(directory, file), "utf8"))) {
    const resource = document.toJS();
    if (!resource) continue;
    const result = { file, kind: resource.kind, name: resource.metadata?.name, errors: [] };
    if (document.errors.length > 0) result.errors.push(...document.errors.map(e => e.message));
    const [group, version] = String(resource.apiVersion).includes("/") ? String(resource.apiVersion).split("/") : [null, resource.apiVersion];
    // kubernetes-models lays models out as <group>/<version>/<Kind>.js, the core group as <version>/<Kind>.js.
    const path = group ? `kubernetes-models/${group}/${version}/${resource.kind}` : `kubernetes-models/${version}/${resource.kind}`;
    try {
      const module = await import(path);
      const Model = module[resource.kind] ?? module.default;
      new Model(resource).validate();
    } catch (error) {
      const details = error?.errors?.map(e => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
      result.errors.push(...(details?.length ? details : [String(error?.message ?? error)]));
    }
    if (result.errors.length > 0) failed = true;
    console.log(JSON.stringify(result));
  }
}
process.exit(failed ? 1 : 0);
