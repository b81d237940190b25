(root) => {
  const scope = document.querySelector(root) || document;
  const shown = [...scope.querySelectorAll(
    'h1,h2,h3,h4,p,li,dt,dd,label,a,button,input,select,textarea,img,legend,th,td,summary'
  )].filter(el => {
    if (el.closest('svg')) return false;
    // The content of a closed <details> is laid out but not shown.
    if (el.closest('details:not([open])') && !el.closest('summary')) return false;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const box = el.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) return false;
    if (box.right < 0 || box.bottom < 0) return false;
    if (el.closest('.visually-hidden, .skip-link, .honeypot, [hidden]')) return false;
    return true;
  });
  // A link that wraps is one box per line: the rectangle around both lines (wider than its
  // last line) would "overlap" a button placed just after its last word.
  const lines = el => [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  const meet = (ra, rb) => {
    const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
    const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
    return w > 2 && h > 2;
  };
  const found = [];
  for (let i = 0; i < shown.length; i++) {
    const a = shown[i], linesA = lines(a);
    for (let j = i + 1; j < shown.length; j++) {
      const b = shown[j];
      if (a.contains(b) || b.contains(a)) continue;
      const linesB = lines(b);
      if (linesA.some(ra => linesB.some(rb => meet(ra, rb)))) {
        const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
          ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"';
        found.push(name(a) + ' / ' + name(b));
      }
    }
  }
  return found.slice(0, 10);
}
