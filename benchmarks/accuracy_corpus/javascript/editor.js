// Browser editor widgets: hand-written accuracy example (markers are the truth).

// expect: global-mutable-state
let openDialogs = 0;

// expect: observer
class Toolbar {
  constructor() {
    this.listeners = [];
  }

  onAction(listener) {
    this.listeners.push(listener);
  }

  press(action) {
    this.listeners.forEach((listener) => listener(action));
  }
}

// expect: mediator
class DialogMediator {
  constructor() {
    this.saveButton = new SaveButton(this);
    this.nameField = new NameField(this);
  }

  notify(sender, event) {
    if (sender === this.nameField && event === "changed") {
      this.saveButton.setEnabled(this.nameField.value.length > 0);
    }
    if (sender === this.saveButton && event === "clicked") {
      this.nameField.clear();
    }
  }
}

class SaveButton {
  constructor(mediator) {
    this.mediator = mediator;
    this.enabled = false;
  }

  setEnabled(enabled) {
    this.enabled = enabled;
  }

  click() {
    this.mediator.notify(this, "clicked");
  }
}

class NameField {
  constructor(mediator) {
    this.mediator = mediator;
    this.value = "";
  }

  type(text) {
    this.value += text;
    this.mediator.notify(this, "changed");
  }

  clear() {
    this.value = "";
  }
}

class Idle {
  handle(editor, key) {
    if (key === "i") editor.setMode(new Inserting());
  }
}

class Inserting {
  handle(editor, key) {
    if (key === "Escape") editor.setMode(new Idle());
    else editor.insert(key);
  }
}

// expect: state
class Editor {
  constructor() {
    this.mode = new Idle();
    this.text = "";
  }

  setMode(mode) {
    this.mode = mode;
  }

  insert(key) {
    this.text += key;
  }

  keyPressed(key) {
    this.mode.handle(this, key);
  }
}

// expect: singleton
class Clipboard {
  static instance;

  static get() {
    if (!Clipboard.instance) {
      Clipboard.instance = new Clipboard();
    }
    return Clipboard.instance;
  }
}

const iconCache = new Map();

class Icon {
  constructor(name) {
    this.name = name;
  }
}

// expect: flyweight
function iconFor(name) {
  if (!iconCache.has(name)) {
    iconCache.set(name, new Icon(name));
  }
  return iconCache.get(name);
}

// expect: registry
class ShortcutRegistry {
  constructor() {
    this.shortcuts = new Map();
  }

  register(keys, command) {
    this.shortcuts.set(keys, command);
  }

  lookup(keys) {
    return this.shortcuts.get(keys);
  }
}

function openDialog() {
  openDialogs += 1;
  // expect: magic-number
  if (openDialogs > 3) {
    throw new Error("too many dialogs");
  }
}

function closeDialog() {
  openDialogs -= 1;
  return openDialogs;
  // expect: unreachable-code
  console.log("closed");
}

function restoreDraft(storage) {
  try {
    return JSON.parse(storage.getItem("draft"));
  // expect: swallowed-exception
  } catch (e) {}
}

// expect: producer-consumer
const pendingSaves = [];

function queueSave(doc) {
  pendingSaves.push(doc);
}

function flushSaves(store) {
  while (pendingSaves.length) {
    store.save(pendingSaves.shift());
  }
}

module.exports = { Toolbar, DialogMediator, Editor, Clipboard, iconFor, ShortcutRegistry, openDialog, closeDialog, restoreDraft, queueSave, flushSaves };
