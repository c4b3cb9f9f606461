package io.github.singleinstance.examples.desktopfx;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.text.Font;
import javafx.stage.Stage;

/**
 * The application's one window: the files opened so far, most recent last. Create and touch it on the JavaFX
 * application thread only.
 */
final class NotesWindow {

    static final String TITLE = "Single-instance JavaFX notes - ";
    private static final double WIDTH = 640;
    private static final double HEIGHT = 300;

    private final Stage stage = new Stage();
    private final ListView<String> files = new ListView<>();
    private final Label status = new Label();

    NotesWindow(PrimaryInstance primary) {
        files.setStyle("-fx-font-family: monospace; -fx-font-size: 13px;");
        status.setPadding(new Insets(6, 8, 6, 8));
        status.setFont(Font.font(13));
        BorderPane root = new BorderPane(files);
        root.setBottom(status);
        stage.setScene(new Scene(root, WIDTH, HEIGHT));
        stage.setTitle(TITLE + "no file");
        stage.setOnHidden(event -> {
            primary.close(); // the next launch becomes the primary and opens a new window
            System.exit(0);
        });
        showCount();
    }

    void show() {
        stage.show();
        // Under openbox on Xvfb (the test's desktop) the window comes up 200 x 200 whatever size the scene asks for;
        // a size set once the window is shown sticks.
        Platform.runLater(() -> {
            stage.setWidth(WIDTH);
            stage.setHeight(HEIGHT);
        });
    }

    /** A later launch: opens its files, if any, and brings the window to the front. */
    Reply accept(List<Path> opened) {
        open(opened);
        bringToFront();
        return opened.isEmpty()
                ? Reply.ok("brought the running window to the front")
                : Reply.ok("opened " + opened.size() + " file(s) in the running window");
    }

    void open(List<Path> opened) {
        for (Path file : opened) {
            files.getItems().add(file.toString());
            System.out.println("opened " + file);
        }
        if (!opened.isEmpty()) {
            Path last = opened.get(opened.size() - 1);
            stage.setTitle(TITLE + (last.getFileName() == null ? last : last.getFileName()));
        }
        showCount();
    }

    private void showCount() {
        status.setText(files.getItems().size() + " file(s) opened; launch again with files to add them here");
    }

    /** De-iconifies, shows, raises and focuses the window (openbox, the test's window manager, obeys each). */
    void bringToFront() {
        stage.setIconified(false);
        stage.show();
        stage.toFront();
        stage.requestFocus();
    }
}
