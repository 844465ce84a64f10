// The "Print" button of the printable sheets: shown only when scripts run (the browser's own
// print command works without it).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
