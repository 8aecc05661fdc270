// DOM helpers shared by the dashboard's modules.

export const $ = (selector) => document.querySelector(selector);

/** An element with attributes (`on…` ones become listeners) and children (text or nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

export function notify(text) {
  const box = $('#message');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (box.hidden = true), 4000);
}

/** Shows what went wrong, unless it belongs to a key the page has since let go. */
export function report(error) {
  if (!error?.stale) notify(error?.message ?? String(error));
}

const pad = (n) => String(n).padStart(2, '0');

/** A moment as local date and time to the second (`2026-12-07 14:03:22`): a row may be days old. */
export function dateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `<time>` showing `dateTime(iso)`, the exact ISO moment in its title. */
export function timeElement(iso) {
  return iso ? el('time', { datetime: iso, title: iso }, dateTime(iso)) : '';
}
