package io.github.singleinstance;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.awt.desktop.AppReopenedListener;
import java.util.EnumSet;
import java.util.Set;

/**
 * The desktop events of {@link Desktop} (Java 9+): open files, open URI and app reopened, each where
 * {@link Desktop#isSupported} says so (macOS; not Linux or Windows). Loaded only by {@link DesktopEvents#bridge}, so
 * that nothing else in the library touches {@code java.awt}. Never run on macOS in this project.
 */
final class AwtDesktopEventSource implements DesktopEvents.Source {

    @Override
    public Set<Launch.Kind> install(DesktopEvents.Listener listener) {
        if (GraphicsEnvironment.isHeadless() || !Desktop.isDesktopSupported()) {
            return Set.of();
        }
        Desktop desktop = Desktop.getDesktop();
        Set<Launch.Kind> kinds = EnumSet.noneOf(Launch.Kind.class);
        if (desktop.isSupported(Desktop.Action.APP_OPEN_FILE)) {
            desktop.setOpenFileHandler(event -> listener.openFiles(event.getFiles()));
            kinds.add(Launch.Kind.OPEN_FILES);
        }
        if (desktop.isSupported(Desktop.Action.APP_OPEN_URI)) {
            desktop.setOpenURIHandler(event -> listener.openUri(event.getURI()));
            kinds.add(Launch.Kind.OPEN_URI);
        }
        if (desktop.isSupported(Desktop.Action.APP_EVENT_REOPENED)) {
            desktop.addAppEventListener((AppReopenedListener) event -> listener.activate());
            kinds.add(Launch.Kind.ACTIVATE);
        }
        return kinds;
    }
}
