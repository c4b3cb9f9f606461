package io.github.singleinstance.examples.desktop;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Frame;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.nio.file.Path;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JScrollPane;
import javax.swing.WindowConstants;

/** The application's one window: the files opened so far, most recent last. Touch it on the event-dispatch thread. */
final class NotesWindow extends JFrame {

    static final String TITLE = "Single-instance notes - ";

    private final DefaultListModel<String> files = new DefaultListModel<>();
    private final JLabel status = new JLabel();

    NotesWindow(PrimaryInstance primary) {
        super(TITLE + "no file");
        JList<String> list = new JList<>(files);
        list.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 13));
        add(new JScrollPane(list), BorderLayout.CENTER);
        status.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
        add(status, BorderLayout.SOUTH);
        showCount();
        setPreferredSize(new Dimension(640, 300));
        pack();
        setLocationRelativeTo(null);
        setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                primary.close(); // the next launch becomes the primary and opens a new window
                System.exit(0);
            }
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
            files.addElement(file.toString());
            System.out.println("opened " + file);
        }
        if (!opened.isEmpty()) {
            Path name = opened.get(opened.size() - 1).getFileName();
            setTitle(TITLE + (name == null ? opened.get(opened.size() - 1) : name));
        }
        showCount();
    }

    private void showCount() {
        status.setText(files.size() + " file(s) opened; launch again with files to add them here");
    }

    /**
     * De-iconifies, raises and focuses the window. Under openbox (the test's window manager) any one of the calls after
     * the de-iconify brings it to the front ({@code setVisible(true)} on a shown window calls {@code toFront()});
     * the always-on-top pulse is the usual trick for window managers that refuse {@code toFront()} to a background
     * application, not tested here.
     */
    void bringToFront() {
        int state = getExtendedState();
        if ((state & Frame.ICONIFIED) != 0) {
            setExtendedState(state & ~Frame.ICONIFIED);
        }
        setVisible(true);
        setAlwaysOnTop(true);
        toFront();
        requestFocus();
        setAlwaysOnTop(false);
    }
}
