import { describe, expect, it } from "vitest";
import { hasRole, roleRank, ROLES, type TRole } from "./roles";

describe("roles", () => {
  it("orders VIEWER < MEMBER < ADMIN < OWNER", () => {
    expect(ROLES).toEqual(["VIEWER", "MEMBER", "ADMIN", "OWNER"]);
    expect(roleRank("VIEWER")).toBeLessThan(roleRank("MEMBER"));
    expect(roleRank("MEMBER")).toBeLessThan(roleRank("ADMIN"));
    expect(roleRank("ADMIN")).toBeLessThan(roleRank("OWNER"));
  });

  const cases: [TRole, TRole, boolean][] = ROLES.flatMap((role) => ROLES.map((min): [TRole, TRole, boolean] => [role, min, ROLES.indexOf(role) >= ROLES.indexOf(min)]));
  it.each(cases)("hasRole(%s, %s) = %s", (role, min, expected) => {
    expect(hasRole(role, min)).toBe(expected);
  });

  it("spot checks", () => {
    expect(hasRole("OWNER", "VIEWER")).toBe(true);
    expect(hasRole("VIEWER", "MEMBER")).toBe(false);
    expect(hasRole("ADMIN", "OWNER")).toBe(false);
  });
});
