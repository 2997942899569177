// Review from the keyboard: c confirms, r rejects, s skips. Typing in a field is left alone.
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
  var control = document.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
  if (!control) return;
  event.preventDefault();
  control.click();
});
