() => {
  // Phones: start with the sidebar folded away so the chat has the screen.
  if (window.matchMedia("(max-width: 760px)").matches) {
    document.querySelector("#fr-sidebar.open .toggle-button")?.click();
  }
}
