/** What the reference shows `GET /apps/{slug}/stats` answering: a 50/50 split of v7 and v8. */

const day = (
  day: string,
  visitors: number,
  page_views: number,
  carts: number,
  orders: number,
  revenue: number,
) => ({
  day,
  visitors,
  page_views,
  carts,
  orders,
  revenue,
  conversion_rate: orders / visitors,
  cart_conversion_rate: orders / carts,
});

const v7 = day("2026-11-21", 1000, 3120, 140, 25, 112_500);
const v8 = day("2026-11-21", 1000, 3310, 150, 45, 198_000);
const { day: _7, ...v7Totals } = v7;
const { day: _8, ...v8Totals } = v8;

export const statsExample = {
  from: "2026-11-21",
  to: "2026-11-21",
  mode: "live",
  currency: "USD",
  versions: [
    { version: 7, totals: v7Totals, days: [v7] },
    { version: 8, totals: v8Totals, days: [v8] },
  ],
  split: {
    from: "2026-11-21",
    to: "2026-11-21",
    live: true,
    arms: [
      {
        version: 7,
        weight: 50,
        visitors: 1000,
        orders: 25,
        conversion_rate: 0.025,
        interval: { low: 0.01699, high: 0.036645 },
      },
      {
        version: 8,
        weight: 50,
        visitors: 1000,
        orders: 45,
        conversion_rate: 0.045,
        interval: { low: 0.0338, high: 0.059683 },
      },
    ],
    comparison: {
      leader: 8,
      baseline: 7,
      difference: 0.02,
      interval: { low: 0.003843, high: 0.036726 },
      method: "newcombe_hybrid_score",
    },
    verdict: "v8 converts better than v7: +2.0 points, 95 % CI +0.4 to +3.7",
  },
  releases: [
    {
      version: 8,
      split: [{ version: 7, weight: 50 }, { version: 8, weight: 50 }],
      previous: 7,
      at: "2026-11-21T00:00:05.000Z",
      by: "ci",
      kind: "split",
      effective_at: "2026-11-21T00:00:05.000Z",
    },
  ],
};
