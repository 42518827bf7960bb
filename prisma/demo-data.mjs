// The demo workspace and users seeded into every embedded database. Shared by
// the seed, the start banner, the README and the e2e tests, so they agree.
export const DEMO_PASSWORD = "ocsuite-demo-2026";
export const DEMO_TENANT = {
  slug: "acme",
  name: "Acme Robotics",
  industry: "Warehouse robotics",
  description: "Acme Robotics builds autonomous picking robots for mid-sized warehouses and sells them as a subscription with maintenance included.",
};
export const DEMO_USERS = [
  { email: "owner@example.com", name: "Olivia Owner", role: "OWNER" },
  { email: "admin@example.com", name: "Adam Admin", role: "ADMIN" },
  { email: "member@example.com", name: "Maya Member", role: "MEMBER" },
  { email: "viewer@example.com", name: "Victor Viewer", role: "VIEWER" },
  { email: "platform-admin@example.com", name: "Petra Platform", role: null, isPlatformAdmin: true },
];
