"""What the map tests wait for before they point at something in a popup."""

# Leaflet pans the map to keep a popup in view when it opens and again when its claims arrive
# (the popup grows): a click aimed while the map moves can land beside its target (CI, a loaded
# machine: the click meant for a popup's link fell on the map, which closed the popup). Wait, as a
# reader's eye does, until the popup has its claims and has not moved for 100 ms.
POPUP_SETTLED = """() => {
  const list = document.querySelector(".leaflet-popup .map-popup__list");
  if (!list || list.getAttribute("aria-busy") !== "false") { return false; }
  if (document.querySelector(".leaflet-pan-anim, .leaflet-zoom-anim")) { return false; }
  const box = JSON.stringify(list.closest(".leaflet-popup").getBoundingClientRect());
  const same = window.popupBox === box;
  window.popupBox = box;
  return same;
}"""


def popup_settled(page) -> None:
    """Wait until the open popup lists its claims and the map around it has stopped moving."""
    page.evaluate("() => { window.popupBox = null; }")
    page.wait_for_function(POPUP_SETTLED, polling=100)
