import { type RouteContract, featureRoutes, routes } from "../../src/shared/routes";

const features = Object.entries(featureRoutes) as [string, Record<string, RouteContract>][];

describe("the route table, assembled from each feature's own table", () => {
  it("gives every route name to one feature only", () => {
    const owners = new Map<string, string[]>();
    for (const [feature, table] of features)
      for (const name of Object.keys(table)) owners.set(name, [...(owners.get(name) ?? []), feature]);
    const shared = [...owners].filter(([, by]) => by.length > 1);
    expect(shared).toEqual([]);
  });

  it("gives every method and path to one route only, across all features", () => {
    const owners = new Map<string, string[]>();
    for (const [feature, table] of features)
      for (const [name, route] of Object.entries(table)) {
        const key = `${route.method} ${route.path}`;
        owners.set(key, [...(owners.get(key) ?? []), `${feature}.${name}`]);
      }
    const shared = [...owners].filter(([, by]) => by.length > 1);
    expect(shared).toEqual([]);
  });

  it("holds every feature's routes, each as its feature defines it, and nothing else", () => {
    const assembled = routes as Record<string, RouteContract>;
    // The same object, not an equal one: a later feature's route of the same name would replace it in the spread.
    const replaced = features.flatMap(([feature, table]) =>
      Object.entries(table)
        .filter(([name, route]) => assembled[name] !== route)
        .map(([name]) => `${feature}.${name}`),
    );
    expect(replaced).toEqual([]);
    const defined = features.flatMap(([, table]) => Object.keys(table)).sort();
    expect(Object.keys(assembled).sort()).toEqual(defined);
  });
});
