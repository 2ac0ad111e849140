/**
 * The example values of the OpenAPI document: one small shop, told the same way in every
 * operation, so the reference (`/api/v1/docs`, docs/API.md) reads as one story.
 */

const APP_ID = "01JDQ8Y7ZP4W9K3M2N6B5V1C0X";
const CREATED = "2026-11-20T09:30:00.000Z";
const LINK_ID = "01JDQAB3C4D5E6F7G8H9J0K1M2";

export const appExample = {
  id: APP_ID,
  slug: "shop",
  name: "My shop",
  url: "https://shop.switchyard.example",
  live: 3,
  created_at: CREATED,
};

export const appCreateExample = { slug: "shop", name: "My shop" };

export const appListExample = { items: [appExample], next_cursor: null };

export const livePutExample = { version: 4, expect: 3 };

export const liveChangedExample = { version: 4, previous: 3 };

export const rolledBackExample = { version: 3, previous: 4 };

export const liveExample = {
  version: 4,
  split: null,
  schedule: [],
  updated_at: "2026-11-21T14:02:11.000Z",
  updated_by: "ci",
};

export const scheduleCreateExample = { at: "2026-12-24T18:00:00Z", version: 5 };

export const scheduledExample = {
  id: "01JDQC7R8S9T0V1W2X3Y4Z5A6B",
  at: "2026-12-24T18:00:00.000Z",
  version: 5,
  split: null,
};

export const releaseListExample = {
  items: [
    {
      version: 4,
      split: null,
      previous: 3,
      at: "2026-11-21T14:02:11.000Z",
      by: "ci",
      kind: "promote",
    },
  ],
  next_cursor: null,
};

export const tokenCreateExample = { name: "GitHub Actions", scope: "deploy", expires_in_days: 90 };

const token = {
  id: "01JDQ9F2G3H4J5K6M7N8P9Q0R1",
  name: "GitHub Actions",
  scope: "deploy",
  created_at: CREATED,
  created_by: { person_id: "01JDQ7M1N2P3Q4R5S6T7V8W9X0", name: "Ada Lovelace" },
  expires_at: "2027-02-18T09:30:00.000Z",
  last_used_at: null,
};

export const tokenCreatedExample = { ...token, token: "sy_3kT9wQ2vX7yB4nM8pL1rZ6cF0hJ5dG2s1a2b3c" };

export const tokenListExample = { items: [token], next_cursor: null };

export const linkCreateExample = {
  label: "For Jane in QA",
  email: "jane@example.com",
  expires_in_hours: 48,
};

export const linkCreatedExample = {
  id: LINK_ID,
  url:
    "https://shop.switchyard.example/_switchyard/preview?token=syt_8Zq2Xw4Vb6Nm1Lk3Jh5Gf7DsA9Pq0Rt2",
  version: 4,
  label: "For Jane in QA",
  email: "jane@example.com",
  expires_at: "2026-11-23T09:30:00.000Z",
  invitation_sent: true,
};

export const linkListExample = {
  items: [{
    id: LINK_ID,
    version: 4,
    label: "For Jane in QA",
    email: "jane@example.com",
    banner: true,
    created_at: "2026-11-21T09:30:00.000Z",
    expires_at: "2026-11-23T09:30:00.000Z",
    revoked_at: null,
    visits: 2,
  }],
  next_cursor: null,
};

export const settingsPutExample = {
  app: { headline: "Winter market" },
  style: { accent: "#0a7c86" },
};

export const settingsExample = {
  app: { headline: "Winter market", free_shipping_from: 50 },
  style: { accent: "#0a7c86" },
  script: "",
  css: "",
  updated_at: "2026-11-21T10:15:00.000Z",
  version: 4,
};

const INDEX_SHA = "5f2b6e0c8d1a4f3e9b7c2d6a1e8f4b3c0d9a7e6f5b4c3d2e1f0a9b8c7d6e5f4a";
const APP_JS_SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

export const versionExample = {
  number: 4,
  label: "holiday",
  message: "Winter theme",
  status: "ready",
  file_count: 2,
  bytes: 48_213,
  created_at: CREATED,
  created_by: "GitHub Actions",
};

export const versionListExample = {
  items: [versionExample, { ...versionExample, number: 3, label: null, message: null }],
  next_cursor: null,
};

export const fileListExample = {
  items: [
    { path: "app.js", sha256: APP_JS_SHA, size: 46_890, content_type: "text/javascript" },
    { path: "index.html", sha256: INDEX_SHA, size: 1_323, content_type: "text/html" },
  ],
  next_cursor: null,
};

export const manifestCreateExample = {
  label: "holiday",
  message: "Winter theme",
  files: [
    { path: "index.html", sha256: INDEX_SHA, size: 1_323 },
    { path: "app.js", sha256: APP_JS_SHA, size: 46_890 },
  ],
};

export const manifestCreatedExample = {
  version: { ...versionExample, status: "uploading" },
  missing: [APP_JS_SHA],
};
