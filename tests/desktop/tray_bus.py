"""The tray over D-Bus, for headless tests (run with Debian's /usr/bin/python3, which has
python3-dbus and python3-gi; the test venv does not).

    tray_bus.py watch FILE     a minimal org.kde.StatusNotifierWatcher: the app's tray item
                               registers with it (there is no panel under Xvfb); the item's
                               bus name and path are written to FILE
    tray_bus.py labels FILE    prints the item's menu labels (com.canonical.dbusmenu), JSON
    tray_bus.py click FILE L   clicks the menu item labelled L
"""

import json
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service

IFACE = "org.kde.StatusNotifierWatcher"


def watch(out: str) -> None:
    from gi.repository import GLib

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()

    class Watcher(dbus.service.Object):
        def __init__(self) -> None:
            self.items: list[str] = []
            super().__init__(dbus.service.BusName(IFACE, bus), "/StatusNotifierWatcher")

        @dbus.service.method(IFACE, in_signature="s", out_signature="", sender_keyword="sender")
        def RegisterStatusNotifierItem(self, service, sender=None):  # noqa: N802 (D-Bus name)
            path = service if service.startswith("/") else "/StatusNotifierItem"
            self.items.append(f"{sender}{path}")
            with open(out, "w") as f:
                f.write(f"{sender} {path}\n")
            self.StatusNotifierItemRegistered(f"{sender}{path}")

        @dbus.service.method(IFACE, in_signature="s", out_signature="")
        def RegisterStatusNotifierHost(self, service):  # noqa: N802
            pass

        @dbus.service.signal(IFACE, signature="s")
        def StatusNotifierItemRegistered(self, item):  # noqa: N802
            pass

        @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
        def Get(self, iface, prop):  # noqa: N802
            return self.GetAll(iface)[prop]

        @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
        def GetAll(self, iface):  # noqa: N802
            return {"RegisteredStatusNotifierItems": dbus.Array(self.items, signature="s"),
                    "IsStatusNotifierHostRegistered": dbus.Boolean(True),
                    "ProtocolVersion": dbus.Int32(0)}

    _watcher = Watcher()
    print("ready", flush=True)
    GLib.MainLoop().run()


def menu(registered: str):
    bus = dbus.SessionBus()
    sender, path = open(registered).read().split()[:2]
    item = bus.get_object(sender, path)
    menu_path = dbus.Interface(item, dbus.PROPERTIES_IFACE).Get("org.kde.StatusNotifierItem", "Menu")
    return dbus.Interface(bus.get_object(sender, menu_path), "com.canonical.dbusmenu")


def labels(registered: str) -> dict[str, int]:
    _revision, layout = menu(registered).GetLayout(0, -1, ["label"])
    found: dict[str, int] = {}

    def walk(node) -> None:
        node_id, props, children = node
        if "label" in props:
            found[str(props["label"])] = int(node_id)
        for child in children:
            walk(child)

    walk(layout)
    return found


def rows(registered: str) -> list[str]:
    """Labels of the "Recent secrets" submenu's items, in order."""
    _revision, layout = menu(registered).GetLayout(0, -1, ["label"])

    def find(node):
        _node_id, props, children = node
        if str(props.get("label", "")) == "Recent secrets":
            return [str(child[1].get("label", "")) for child in children]
        for child in children:
            if (found := find(child)) is not None:
                return found
        return None

    return [label for label in (find(layout) or []) if label != "No secrets yet"]


def toggled(registered: str, label: str) -> bool:
    """Whether the check item with this label is checked (dbusmenu's toggle-state)."""
    _revision, layout = menu(registered).GetLayout(0, -1, ["label", "toggle-state"])

    def find(node):
        _node_id, props, children = node
        if str(props.get("label", "")) == label:
            return int(props.get("toggle-state", 0)) == 1
        for child in children:
            if (found := find(child)) is not None:
                return found
        return None

    state = find(layout)
    if state is None:
        sys.exit(f"no menu item {label!r}")
    return state


def click(registered: str, label: str) -> None:
    ids = labels(registered)
    menu(registered).Event(ids[label], "clicked", dbus.Int32(0, variant_level=1),
                           dbus.UInt32(int(time.time())))


if __name__ == "__main__":
    command, target = sys.argv[1], sys.argv[2]
    if command == "watch":
        watch(target)
    elif command == "labels":
        print(json.dumps(labels(target)))
    elif command == "rows":
        print(json.dumps(rows(target)))
    elif command == "toggled":
        print(json.dumps(toggled(target, sys.argv[3])))
    elif command == "click":
        click(target, sys.argv[3])
    else:
        sys.exit(f"unknown command {command}")
