// The list of examples (/exemples/), once htmx drives its form.

// A filter chip, a sort choice or a page link sits inside the results it replaces: once they
// are swapped, the link the visitor followed is gone and the focus falls back to the page
// itself, so the next Tab starts again from the top of the page or the footer. Put the focus
// on the result count instead: keyboard and screen reader users carry on from the new results.
// (htmx also settles the whole page when Back restores one, without a request target.)
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.target.id !== "resultats") {
    return;
  }
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.isConnected) {
    return;
  }
  document.getElementById("nombre-resultats")?.focus();
});

// An empty search box adds nothing to the address: ?theme=education, not ?q=&theme=education.
// (Without JavaScript the server redirects to that address.)
document.addEventListener("htmx:configRequest", (event) => {
  const parameters = event.detail.parameters;
  if (parameters.getAll("q").every((text) => !text.trim())) {
    parameters.delete("q");
  }
});

// Back shows the page htmx kept as HTML, where the search box holds the value it was first
// rendered with rather than the search of that page (the form's own updates leave the box
// alone, lest they overwrite what the visitor typed meanwhile): write that search in it.
document.addEventListener("htmx:beforeHistorySave", (event) => {
  const box = document.getElementById("recherche");
  if (box) {
    const search = new URL(event.detail.path, window.location.href).searchParams.get("q");
    box.setAttribute("value", search ?? "");
  }
});

// On a phone the open filter panel stands between the visitor and the results: the link to
// them closes it on the way. (Wide screens show the facets whether the panel is open or not.)
document.addEventListener("click", (event) => {
  const link = event.target.closest?.(".facets__show-results");
  link?.closest("details")?.removeAttribute("open");
});
