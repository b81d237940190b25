(root) => {
  // What reaches past the right edge of the screen and cannot be scrolled to: Wagtail's
  // main column hides what overflows it, so the page itself never scrolls sideways and a
  // list's last columns were simply cut off. A box that scrolls sideways on its own is fine.
  const scope = document.querySelector(root) || document;
  const width = document.documentElement.clientWidth;
  const shown = [...scope.querySelectorAll(
    'h1,h2,h3,h4,p,li,dt,dd,label,a,button,input,select,textarea,img,th,td,summary'
  )].filter(el => {
    // Wagtail's folded minimap (a form's table of contents) waits at the edge for its toggle.
    if (el.closest('svg, [hidden], .w-sr-only, .visually-hidden, .skip-link, [data-tippy-root], .w-minimap:not(.w-minimap--expanded)')) return false;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    const box = el.getBoundingClientRect();
    return box.width >= 4 && box.height >= 4 && box.right > width + 1 && box.left < width;
  });
  const inScrollingBox = el => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return box !== document.documentElement;
    }
    return false;
  };
  return shown.filter(el => !inScrollingBox(el)).slice(0, 5).map(el =>
    el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
    (el.innerText || el.value || '').trim().slice(0, 30) + '" ends at ' +
    Math.round(el.getBoundingClientRect().right) + ' px');
}
