// A small module for the sample workspace.
export function debounce(fn, ms = 100) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export const greet = (name) => `Hello, ${name}!`;
