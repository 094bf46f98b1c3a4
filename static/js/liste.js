// The list of examples (/exemples/), once htmx has replaced its results.
//
// A filter chip, a sort choice or a page link sits inside the results it replaces: once they
// are swapped, the link the visitor followed is gone and the focus falls back to the page
// itself, so the next Tab starts again from the top of the page or the footer. Put the focus
// on the result count instead: keyboard and screen reader users carry on from the new results.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target.id !== "resultats") {
    return;
  }
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.isConnected) {
    return;
  }
  document.getElementById("nombre-resultats")?.focus();
});
