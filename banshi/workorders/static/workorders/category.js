/* Pick a request category level by level. The page ships one <select name="category"> with every
   third-level category (works without JavaScript); this turns it into three linked selects built
   from the category tree in #category-tree. Their labels come translated in data-* attributes. */
(function () {
  "use strict";
  var data = document.getElementById("category-tree");
  var leaf = document.getElementById("id_category");
  if (!data || !leaf) return;
  var tree = JSON.parse(data.textContent);
  var box = leaf.closest("[data-cascade]");
  var selected = leaf.value;
  var text = box.dataset;

  function makeSelect(id, label) {
    var s = document.createElement("select");
    s.id = id;
    s.setAttribute("aria-label", label);
    box.insertBefore(s, leaf);
    return s;
  }
  function fill(select, nodes, placeholder) {
    select.innerHTML = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = placeholder;
    select.appendChild(first);
    nodes.forEach(function (n) {
      var o = document.createElement("option");
      o.value = String(n.id);
      o.textContent = n.name;
      select.appendChild(o);
    });
  }
  function find(nodes, id) {
    for (var i = 0; i < nodes.length; i++) if (String(nodes[i].id) === String(id)) return nodes[i];
    return null;
  }
  var one = makeSelect("id_category_1", text.labelFirst);
  var two = makeSelect("id_category_2", text.labelSecond);
  fill(one, tree, text.chooseFirst);
  fill(two, [], text.chooseSecond);
  fill(leaf, [], text.chooseLeaf);
  one.addEventListener("change", function () {
    var node = find(tree, one.value);
    fill(two, node ? node.children : [], text.chooseSecond);
    fill(leaf, [], text.chooseLeaf);
    leaf.dispatchEvent(new Event("change", { bubbles: true }));
  });
  two.addEventListener("change", function () {
    var node = find(tree, one.value);
    var second = node ? find(node.children, two.value) : null;
    fill(leaf, second ? second.children : [], text.chooseLeaf);
    leaf.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // Re-displaying a form after an error: restore the chosen path.
  if (selected) {
    tree.forEach(function (a) {
      a.children.forEach(function (b) {
        if (find(b.children, selected)) {
          one.value = String(a.id);
          fill(two, a.children, text.chooseSecond);
          two.value = String(b.id);
          fill(leaf, b.children, text.chooseLeaf);
          leaf.value = String(selected);
        }
      });
    });
  }
})();
