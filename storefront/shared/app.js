// Switchyard starter storefront: the catalog, a cart and a checkout, all through the shopper API
// on this origin (api.js). Settings come from /settings/{account,app}.js (window.__settings);
// every one is optional. products.json adds what a catalog does not hold: ratings, and a picture
// for a product that has none.

import { api, cookie, setCookie } from "./api.js";
import { openCheckout, setupCheckout } from "./checkout.js";

const settings = globalThis.__settings ?? {};
const appSettings = settings.app ?? {};

const CART_DAYS = 14;
const MAX_QTY = 99;

const $ = (selector) => document.querySelector(selector);
const esc = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const itemsLabel = (n, noun = "item") => `${n} ${noun}${n === 1 ? "" : "s"}`;

// ---- settings ------------------------------------------------------------------------------

function asInt(value, fallback, min, max) {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function applySettings() {
  const root = document.documentElement;
  const headline = $("#headline");
  const custom = typeof appSettings.headline === "string" ? appSettings.headline.trim() : "";
  headline.textContent = custom || headline.dataset.default || headline.textContent;

  const accent = appSettings.accent_color;
  if (typeof accent === "string" && CSS.supports("color", accent)) {
    root.style.setProperty("--accent", accent);
    root.style.setProperty("--accent-ink", inkFor(accent));
  }
  root.style.setProperty("--cols", String(asInt(appSettings.products_per_row, 4, 2, 6)));
  document.body.classList.toggle(
    "hide-ratings",
    [false, "false"].includes(appSettings.show_ratings),
  );
  const sort = $("#sort");
  if ([...sort.options].some((o) => o.value === appSettings.default_sort)) {
    sort.value = appSettings.default_sort;
  }
}

/** Dark or light text, whichever reads better on the given background color. */
function inkFor(color) {
  const probe = document.createElement("i");
  probe.style.color = color;
  document.body.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  if (!computed.startsWith("rgb")) return "#ffffff";
  const [r, g, b] = computed.match(/[\d.]+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 > 0.6 ? "#16181b" : "#ffffff";
}

// ---- catalog -------------------------------------------------------------------------------

let products = [];
let byId = new Map();
let extras = new Map();
/** The cart as the API last answered it, or null before the first item. */
let cart = null;

/** A price the API sends as a number in the currency's units, written for this shopper. */
function money(units, code) {
  return new Intl.NumberFormat(undefined, { style: "currency", currency: code }).format(units);
}

function imageOf(productId, product = byId.get(productId)) {
  const image = product?.images?.[0];
  return image?.link_square ?? image?.link_medium ?? image?.link_small ??
    extras.get(productId)?.image ?? "images/favicon.svg";
}

/** A description may be HTML (Comecero's catalog allows it): shown as its text only. */
const plain = (html) => new DOMParser().parseFromString(html ?? "", "text/html").body.textContent;

async function loadCatalog() {
  // Each product is sold in its own currency, and a cart takes it from its items.
  const list = await api("GET", "/products?formatted=true&limit=50");
  products = (list?.data ?? []).filter((p) => p.active !== false && typeof p.price === "number");
  byId = new Map(products.map((p) => [p.product_id, p]));
}

async function loadExtras() {
  try {
    const response = await fetch("products.json");
    const list = response.ok ? await response.json() : [];
    extras = new Map((Array.isArray(list) ? list : []).map((p) => [p.id, p]));
  } catch {
    // Ratings and fallback pictures are a nicety; the store works without them.
  }
}

function sortedProducts() {
  const order = {
    "price-asc": (a, b) => a.price - b.price,
    "price-desc": (a, b) => b.price - a.price,
    name: (a, b) => a.name.localeCompare(b.name),
  }[$("#sort").value];
  return order ? [...products].sort(order) : products;
}

function rating(id) {
  const extra = extras.get(id);
  if (!Number.isFinite(extra?.rating)) return "";
  return `<p class="rating"><span class="stars" style="--rating:${extra.rating}" aria-hidden="true">★★★★★</span>
    <span class="sr-only">Rated ${extra.rating} out of 5.</span>
    <span aria-hidden="true">${extra.rating} (${esc(extra.reviews ?? 0)})</span></p>`;
}

function productCard(p) {
  const sale = p.compare_at_price > p.price;
  const price = p.formatted?.price ?? money(p.price, p.currency);
  const was = p.formatted?.compare_at_price ?? (sale ? money(p.compare_at_price, p.currency) : "");
  const [id, name] = [esc(p.product_id), esc(p.name)];
  return `<article class="card">
    <div class="card-media">
      <img src="${esc(imageOf(p.product_id))}" alt="" width="400" height="300" loading="lazy">
      ${
    sale ? `<span class="tag">−${Math.round((1 - p.price / p.compare_at_price) * 100)}%</span>` : ""
  }
    </div>
    <div class="card-body">
      <h3 class="card-title">${name}</h3>
      <p class="card-desc">${esc(p.headline || plain(p.description))}</p>
      ${rating(p.product_id)}
      <div class="card-foot">
        <p class="price">
          ${sale ? `<s>${esc(was)}</s><span class="sr-only">now</span>` : ""}
          <span class="now${sale ? " sale" : ""}">${esc(price)}</span>
        </p>
        <button type="button" class="btn btn-primary" data-action="add" data-id="${id}"
          aria-label="Add ${name} to cart">Add to cart</button>
      </div>
    </div>
  </article>`;
}

function renderGrid() {
  $("#grid").innerHTML = products.length
    ? sortedProducts().map(productCard).join("")
    : `<p class="notice">No products yet. Please come back soon.</p>`;
  $("#grid").setAttribute("aria-busy", "false");
  $("#product-count").textContent = itemsLabel(products.length, "product");
}

// ---- cart ----------------------------------------------------------------------------------

const CART_QUERY = "?formatted=true&options=true";

function keepCart(next) {
  cart = next;
  if (cart) setCookie("cart_id", cart.cart_id, CART_DAYS * 86400);
  else setCookie("cart_id", null);
  renderCart();
}

async function loadCart() {
  const id = cookie("cart_id");
  if (!id) return;
  try {
    keepCart(await api("GET", `/carts/${encodeURIComponent(id)}${CART_QUERY}`));
  } catch (error) {
    // Gone (404), or another token's: start a new one at the next add.
    if (error.status === 404 || error.status === 403) keepCart(null);
    else throw error;
  }
}

/** Sends the whole list of items (Comecero's update: `items` is the full desired list). */
async function saveItems(items) {
  if (cart) {
    try {
      return keepCart(await api("POST", `/carts/${cart.cart_id}${CART_QUERY}`, { items }));
    } catch (error) {
      // A cart already paid (closed) or expired: the items go into a new one.
      if (error.code !== "invalid_state" && error.status !== 404) throw error;
      keepCart(null);
    }
  }
  const body = {
    items: items.filter((item) => item.quantity > 0),
    customer: { billing_address: {}, shipping_address: {} },
  };
  keepCart(await api("POST", `/carts${CART_QUERY}`, body));
}

const quantityOf = (id) => cart?.items?.find((item) => item.product_id === id)?.quantity ?? 0;

let queue = Promise.resolve();

/** Changes one product's quantity; changes queue, so each builds on the cart the last left. */
function setQty(id, qty, message = "") {
  queue = queue.then(async () => {
    const next = Math.min(MAX_QTY, Math.max(0, qty(quantityOf(id))));
    const items = (cart?.items ?? []).map((item) => ({
      product_id: item.product_id,
      quantity: item.product_id === id ? next : item.quantity,
    })).filter((item) => item.quantity > 0);
    if (next > 0 && !items.some((item) => item.product_id === id)) {
      items.push({ product_id: id, quantity: next });
    }
    try {
      showError("");
      await saveItems(items);
      const count = cartCount();
      $("#cart-status").textContent = `${message} ${itemsLabel(count)} in cart.`.trim();
    } catch (error) {
      showError(error.message);
    }
  });
  return queue;
}

const cartCount = () => (cart?.items ?? []).reduce((sum, item) => sum + item.quantity, 0);

function showError(message) {
  const inDrawer = $("#cart").open;
  const box = inDrawer ? $("#cart-error") : $("#toast");
  for (const el of [$("#cart-error"), $("#toast")]) el.hidden = true;
  box.textContent = message;
  box.hidden = !message;
  if (message && !inDrawer) setTimeout(() => (box.hidden = true), 6000);
}

function cartLine(item) {
  const [id, name] = [esc(item.product_id), esc(item.name)];
  const unit = item.formatted?.price ?? money(item.price, cart.currency);
  const total = item.formatted?.subtotal ?? item.formatted?.total ?? "";
  return `<li class="line">
    <img src="${esc(imageOf(item.product_id))}" alt="" width="72" height="54">
    <div>
      <p class="line-name">${name}</p>
      <p class="line-unit">${esc(unit)} each</p>
      <div class="qty" role="group" aria-label="Quantity of ${name}">
        <button type="button" data-action="dec" data-id="${id}" aria-label="One less ${name}">−</button>
        <output>${item.quantity}</output>
        <button type="button" data-action="inc" data-id="${id}" aria-label="One more ${name}"
          ${item.quantity >= MAX_QTY ? "disabled" : ""}>+</button>
      </div>
    </div>
    <div class="line-end">
      <p class="line-total">${esc(total)}</p>
      <button type="button" class="link" data-action="remove" data-id="${id}"
        aria-label="Remove ${name} from cart">Remove</button>
    </div>
  </li>`;
}

function renderCart() {
  const items = cart?.items ?? [];
  const count = cartCount();
  $("#cart-count").textContent = String(count);
  $("#cart-count").classList.toggle("empty", count === 0);
  $("#open-cart").setAttribute("aria-label", `Cart, ${itemsLabel(count)}`);
  $("#cart-lines").innerHTML = items.map(cartLine).join("");
  $("#cart-empty").hidden = items.length > 0;
  $("#cart-summary").hidden = items.length === 0;
  $("#cart-subtotal").textContent = cart?.formatted?.subtotal ?? "";
}

// ---- events --------------------------------------------------------------------------------

async function onAction(button) {
  const { action, id } = button.dataset;
  const name = byId.get(id)?.name ?? cart?.items?.find((i) => i.product_id === id)?.name ?? "";
  if (action === "add") {
    button.disabled = true;
    await setQty(id, (qty) => qty + 1, `Added ${name}.`);
    button.disabled = false;
    if (quantityOf(id) > 0) {
      button.textContent = "Added ✓";
      clearTimeout(button.timer);
      button.timer = setTimeout(() => (button.textContent = "Add to cart"), 1200);
    }
    return;
  }
  const change = { inc: (qty) => qty + 1, dec: (qty) => qty - 1, remove: () => 0 }[action];
  if (!change) return;
  await setQty(id, change, action === "remove" ? `Removed ${name}.` : "");
  // The cart list was re-rendered: put focus back on the same control, or a sensible neighbour.
  const same = $(`#cart-lines [data-action="${action}"][data-id="${CSS.escape(id)}"]`);
  (same ?? $("#cart-lines button") ?? $("#keep-shopping")).focus();
}

function setupEvents() {
  const drawer = $("#cart");
  const checkout = $("#checkout-dialog");
  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target === drawer || target === checkout) target.close(); // a click on the backdrop
    const button = target.closest?.("button");
    if (button?.dataset.action) onAction(button);
    else if (button?.hasAttribute("data-close")) button.closest("dialog").close();
  });
  $("#open-cart").addEventListener("click", () => drawer.showModal());
  $("#keep-shopping").addEventListener("click", () => drawer.close());
  $("#checkout").addEventListener("click", async () => {
    await queue;
    if (!cart?.items?.length) return;
    drawer.close();
    openCheckout(cart);
  });
  $("#sort").addEventListener("change", renderGrid);
  if (location.hash === "#cart") drawer.showModal();
  setupCheckout({ onPaid: () => keepCart(null), imageOf });
}

async function main() {
  applySettings();
  setupEvents();
  try {
    await loadCart();
    await Promise.all([loadCatalog(), loadExtras()]);
  } catch (error) {
    console.error(error);
    $("#grid").setAttribute("aria-busy", "false");
    $("#grid").innerHTML = `<p class="notice" role="alert">We couldn't load the products. ${
      esc(error.message)
    } Please refresh the page.</p>`;
    return;
  }
  renderGrid();
  renderCart();
}

main();
