// Small DOM helpers of the portal: elements, messages, times.

export const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes (`on…` are listeners) and children (strings become text: never HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A short message at the bottom of the page. */
export function notify(text) {
  const box = $('#message');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (box.hidden = true), 6000);
}

/** A date and time in the reader's locale. */
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

export const ms = (value) => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);

export const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(rate === 1 ? 0 : 1)} %`);

/** A button that asks to be clicked a second time before it acts (no blocking dialogs in a frame). */
export function confirmButton(label, confirmLabel, attrs, act) {
  const button = el('button', { type: 'button', ...attrs }, label);
  let armed = null;
  button.addEventListener('click', () => {
    if (!armed) {
      button.textContent = confirmLabel;
      button.dataset.armed = 'true';
      armed = setTimeout(() => {
        armed = null;
        button.textContent = label;
        delete button.dataset.armed;
      }, 5000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    act(button);
  });
  return button;
}
