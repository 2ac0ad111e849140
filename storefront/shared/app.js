// Switchyard starter storefront: product grid, cart drawer kept in localStorage, checkout stub.
// Settings come from /settings/{account,app}.js (window.__settings); every one is optional.

const settings = globalThis.__settings ?? {};
const appSettings = settings.app ?? {};
const accountSettings = settings.account ?? {};

const CART_KEY = "switchyard.cart.v1";
const CURRENCY_KEY = "switchyard.currency";
const MAX_QTY = 99;

const $ = (selector) => document.querySelector(selector);
const esc = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const itemsLabel = (n, noun = "item") => `${n} ${noun}${n === 1 ? "" : "s"}`;

function storage(key, value) {
  try {
    if (value === undefined) return localStorage.getItem(key);
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled or full: everything still works for this page view.
  }
  return null;
}

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

// ---- money ---------------------------------------------------------------------------------

/** Integer minor units → "$24.00", "€22,00", "¥2,400" (digits per the currency's rules). */
function money(minor, code) {
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency: code });
  return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
}

/** A product amount: `price` in the product's own currency, else `prices[code]` (same for
 * `compare_at_price`). Undefined when the product has no such amount in that currency. */
function amount(product, field, code) {
  const value = code === product.currency ? product[field] : product[`${field}s`]?.[code];
  return Number.isInteger(value) ? value : undefined;
}

// ---- state ---------------------------------------------------------------------------------

let products = [];
let byId = new Map();
let currency = "USD";
let cart = loadCart();

function loadCart() {
  try {
    const saved = Object.entries(JSON.parse(storage(CART_KEY) ?? "{}"));
    return new Map(saved.filter(([, n]) => Number.isInteger(n) && n > 0 && n <= MAX_QTY));
  } catch {
    return new Map();
  }
}

const cartLines = () =>
  [...cart].filter(([id]) => byId.has(id)).map(([id, qty]) => ({ product: byId.get(id), qty }));

function setQty(id, qty, message = "") {
  const next = Math.min(MAX_QTY, Math.max(0, qty));
  if (next > 0) cart.set(id, next);
  else cart.delete(id);
  storage(CART_KEY, JSON.stringify(Object.fromEntries(cart)));
  renderCart();
  const count = cartLines().reduce((sum, line) => sum + line.qty, 0);
  $("#cart-status").textContent = `${message} ${itemsLabel(count)} in cart.`.trim();
}

/** The account's currencies that every product has a price in; else the catalog's own. */
function availableCurrencies() {
  const listed = Array.isArray(accountSettings.currencies) ? accountSettings.currencies : [];
  const codes = listed
    .map((c) => String(typeof c === "string" ? c : c?.code ?? "").toUpperCase())
    .filter((code) => /^[A-Z]{3}$/.test(code))
    .filter((code) => products.every((p) => amount(p, "price", code) !== undefined));
  return codes.length ? [...new Set(codes)] : [products[0]?.currency ?? "USD"];
}

// ---- rendering -----------------------------------------------------------------------------

function sortedProducts() {
  const price = (p) => amount(p, "price", currency);
  const order = {
    "price-asc": (a, b) => price(a) - price(b),
    "price-desc": (a, b) => price(b) - price(a),
    name: (a, b) => a.name.localeCompare(b.name),
  }[$("#sort").value];
  return order ? [...products].sort(order) : products;
}

function productCard(p) {
  const price = amount(p, "price", currency);
  const was = amount(p, "compare_at_price", currency);
  const sale = was > price;
  const rating = Number.isFinite(p.rating)
    ? `<p class="rating"><span class="stars" style="--rating:${p.rating}" aria-hidden="true">★★★★★</span>
        <span class="sr-only">Rated ${p.rating} out of 5.</span>
        <span aria-hidden="true">${p.rating} (${esc(p.reviews ?? 0)})</span></p>`
    : "";
  return `<article class="card">
    <div class="card-media">
      <img src="${esc(p.image)}" alt="" width="400" height="300" loading="lazy">
      ${sale ? `<span class="tag">−${Math.round((1 - price / was) * 100)}%</span>` : ""}
    </div>
    <div class="card-body">
      <h3 class="card-title">${esc(p.name)}</h3>
      <p class="card-desc">${esc(p.description ?? "")}</p>
      ${rating}
      <div class="card-foot">
        <p class="price">
          ${sale ? `<s>${money(was, currency)}</s><span class="sr-only">now</span>` : ""}
          <span class="now${sale ? " sale" : ""}">${money(price, currency)}</span>
        </p>
        <button type="button" class="btn btn-primary" data-action="add" data-id="${esc(p.id)}"
          aria-label="Add ${esc(p.name)} to cart">Add to cart</button>
      </div>
    </div>
  </article>`;
}

function renderGrid() {
  $("#grid").innerHTML = sortedProducts().map(productCard).join("");
  $("#grid").setAttribute("aria-busy", "false");
  $("#product-count").textContent = itemsLabel(products.length, "product");
}

function cartLine({ product: p, qty }) {
  const unit = amount(p, "price", currency);
  const [id, name] = [esc(p.id), esc(p.name)];
  return `<li class="line">
    <img src="${esc(p.image)}" alt="" width="72" height="54">
    <div>
      <p class="line-name">${name}</p>
      <p class="line-unit">${money(unit, currency)} each</p>
      <div class="qty" role="group" aria-label="Quantity of ${name}">
        <button type="button" data-action="dec" data-id="${id}" aria-label="One less ${name}">−</button>
        <output>${qty}</output>
        <button type="button" data-action="inc" data-id="${id}" aria-label="One more ${name}"
          ${qty >= MAX_QTY ? "disabled" : ""}>+</button>
      </div>
    </div>
    <div class="line-end">
      <p class="line-total">${money(unit * qty, currency)}</p>
      <button type="button" class="link" data-action="remove" data-id="${id}"
        aria-label="Remove ${name} from cart">Remove</button>
    </div>
  </li>`;
}

function renderCart() {
  const lines = cartLines();
  const count = lines.reduce((sum, line) => sum + line.qty, 0);
  const subtotal = lines.reduce((sum, l) => sum + amount(l.product, "price", currency) * l.qty, 0);
  $("#cart-count").textContent = String(count);
  $("#cart-count").classList.toggle("empty", count === 0);
  $("#open-cart").setAttribute("aria-label", `Cart, ${itemsLabel(count)}`);
  $("#cart-lines").innerHTML = lines.map(cartLine).join("");
  $("#cart-empty").hidden = lines.length > 0;
  $("#cart-summary").hidden = lines.length === 0;
  $("#cart-subtotal").textContent = money(subtotal, currency);
}

// ---- events --------------------------------------------------------------------------------

function onAction(button) {
  const { action, id } = button.dataset;
  const product = byId.get(id);
  if (!product) return;
  const qty = cart.get(id) ?? 0;
  if (action === "add") {
    setQty(id, qty + 1, `Added ${product.name}.`);
    button.textContent = "Added ✓";
    clearTimeout(button.timer);
    button.timer = setTimeout(() => (button.textContent = "Add to cart"), 1200);
    return;
  }
  const next = action === "inc" ? qty + 1 : action === "dec" ? qty - 1 : 0;
  setQty(id, next, next === 0 ? `Removed ${product.name}.` : "");
  // The cart list was re-rendered: put focus back on the same control, or a sensible neighbour.
  const same = $(`#cart-lines [data-action="${action}"][data-id="${CSS.escape(id)}"]`);
  (same ?? $("#cart-lines button") ?? $("#keep-shopping")).focus();
}

function setupCurrency() {
  const codes = availableCurrencies();
  const saved = storage(CURRENCY_KEY);
  currency = codes.includes(saved) ? saved : codes[0];
  const select = $("#currency");
  select.innerHTML = codes.map((c) => `<option value="${c}">${c}</option>`).join("");
  select.value = currency;
  select.closest("label").hidden = codes.length < 2;
  select.addEventListener("change", () => {
    currency = select.value;
    storage(CURRENCY_KEY, currency);
    renderGrid();
    renderCart();
  });
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
  $("#checkout").addEventListener("click", () => checkout.showModal());
  $("#sort").addEventListener("change", renderGrid);
  addEventListener("storage", (event) => {
    if (event.key === CART_KEY) (cart = loadCart()), renderCart();
  });
  if (location.hash === "#cart") drawer.showModal();
}

async function main() {
  applySettings();
  setupEvents();
  try {
    const response = await fetch("products.json");
    if (!response.ok) throw new Error(`products.json: HTTP ${response.status}`);
    const data = await response.json();
    const valid = (p) => typeof p?.id === "string" && Number.isInteger(p.price) && p.currency;
    products = (Array.isArray(data) ? data : data.products ?? []).filter(valid);
    byId = new Map(products.map((p) => [p.id, p]));
  } catch (error) {
    console.error(error);
    $("#grid").setAttribute("aria-busy", "false");
    $("#grid").innerHTML =
      `<p class="notice" role="alert">We couldn't load the products. Please refresh the page.</p>`;
    return;
  }
  setupCurrency();
  renderGrid();
  renderCart();
}

main();
