/**
 * The anonymous shopper cookie (`sy_visitor`): keeps a shopper on one arm of a traffic split
 * and lets the stats count unique visitors. It holds a random id and nothing else.
 */
import type { SplitArm } from "../kv/live_record.ts";
import { setCookie, VISITOR_COOKIE } from "./cookies.ts";

/** The `Set-Cookie` of a new shopper id (`__Host-` and Secure over HTTPS). */
export function visitorCookie(id: string, https: boolean): string {
  return setCookie(VISITOR_COOKIE, id, "Max-Age=31536000; HttpOnly; SameSite=Lax", https);
}

/**
 * Picks the split arm for a visitor: FNV-1a of visitor and app mapped onto 0–99, so the same
 * shopper lands on the same arm in every region without any shared state.
 */
export function pickArm(split: SplitArm[], visitor: string, appId: string): number {
  let hash = 0x811c9dc5;
  const text = `${appId}:${visitor}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  let point = (hash >>> 0) % 100;
  for (const arm of split) {
    if (point < arm.weight) return arm.version;
    point -= arm.weight;
  }
  return split[split.length - 1].version;
}
