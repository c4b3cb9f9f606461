package io.github.singleinstance.internal.wire;

import io.github.singleinstance.Launch;
import io.github.singleinstance.TerminalInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A launch as the payload of one ring record, and back. Strings are strict UTF-8: a string that UTF-8 cannot carry
 * exactly (an unpaired surrogate) is refused before sending, never altered.
 *
 * <pre>
 *   0         4         8         12        16                  24                  32
 *   +---------+---------+---------+---------+-------------------+-------------------+
 *   | VERSION | BODY_LEN|  CRC32C |  SLOT   |      TICKET       |    SENDER_PID     |
 *   +---------+---------+---------+---------+-------------------+-------------------+
 *   32                  40        44
 *   |  LAUNCH_MILLIS    | ARG_CNT | then: WORKING_DIR, ARG_CNT x ARG, ADDITIONAL_DATA, each as
 *   +-------------------+---------+       | LENGTH (int) | bytes |
 *   TICKET: the slot's CLAIMED control value (ReplySlots); FIXED_SIZE = 44
 * </pre>
 * To a primary that offers streams (ChannelLayout's FEATURES), an EXTENSION follows ADDITIONAL_DATA:
 * <pre>
 *   | FLAGS (int) | FULL_LENGTH (int) | ENV_CNT (int) | ENV_CNT x (NAME, VALUE), each as | LENGTH (int) | bytes |
 *   FLAGS: bit 0 CAN_STREAM  set by every sender that writes the extension: it takes a stream offer (ReplySlots)
 *          bit 1 STDIN       its application forwards standard input
 *          bit 2 LARGE       a stub: the whole record (FULL_LENGTH bytes, with the extension) is too large for the
 *                            ring and follows over the stream connection; the stub's own directory, arguments, data
 *                            and environment are empty
 * </pre>
 * A primary of an older build never gets one (its FEATURES are zero), which is why it may reject trailing bytes.
 * To a primary whose FEATURES also have bit 1 (MORE), a MORE section follows the EXTENSION's environment:
 * <pre>
 *   | MORE_LEN (int) | TTY (int) | COLUMNS (int) | ROWS (int) | (MORE_LEN - 12 bytes a later sender may add)
 *   MORE_LEN  the bytes after it, at least 12; a primary reads the fields it knows and skips the rest, so a later
 *             sender may add fields here without a FEATURES bit of its own
 *   TTY       whether the sender's stdin (bits 0-1), stdout (bits 2-3) and stderr (bits 4-5) are terminals: 0 unknown,
 *             1 a terminal, 2 not a terminal; the other bits zero
 *   COLUMNS, ROWS  the sender's terminal size as it knew it (COLUMNS and LINES in its environment), 0 if unknown
 * </pre>
 * A primary of a build without MORE (bit 1 of its FEATURES zero) never gets one: its decoder rejects bytes after the
 * environment. A record without MORE (an older sender, a stub) decodes as an unknown terminal.
 * BODY_LEN counts the bytes from offset 0 to the end of ADDITIONAL_DATA, or of the EXTENSION (the record may add up to
 * 7 zero bytes of alignment). CRC32C covers bytes [12, BODY_LEN): slot, ticket and everything after. Every length is validated
 * against what remains before anything is allocated.
 */
public final class LaunchCodec {

    static final int VERSION_OFFSET = 0;
    static final int BODY_LENGTH_OFFSET = 4;
    static final int CRC_OFFSET = 8;
    static final int SLOT_OFFSET = 12;
    static final int TICKET_OFFSET = 16;
    static final int SENDER_PID_OFFSET = 24;
    static final int LAUNCH_MILLIS_OFFSET = 32;
    static final int ARG_COUNT_OFFSET = 40;
    static final int FIXED_SIZE = 44;

    public static final int FLAG_CAN_STREAM = 1;
    public static final int FLAG_STDIN = 2;
    public static final int FLAG_LARGE = 4;

    /** The MORE section's fields this build knows (TTY, COLUMNS, ROWS), in bytes after MORE_LEN. */
    static final int MORE_KNOWN = 12;
    /** A stream's status in TTY's two bits: unknown. */
    public static final int TTY_UNKNOWN = 0;
    /** A stream's status in TTY's two bits: a terminal. */
    public static final int TTY_TERMINAL = 1;
    /** A stream's status in TTY's two bits: not a terminal. */
    public static final int TTY_NOT_A_TERMINAL = 2;
    /** Where each stream's two bits start in TTY. */
    public static final int TTY_STDIN_SHIFT = 0;

    public static final int TTY_STDOUT_SHIFT = 2;
    public static final int TTY_STDERR_SHIFT = 4;

    private LaunchCodec() {}

    /**
     * A decoded record: the launch, the slot its sender waits on, and the EXTENSION's flags and full length (zero if
     * it had none).
     */
    public record Decoded(int slot, long ticket, Launch launch, int flags, int fullLength) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /**
     * A payload without EXTENSION, with the slot fields left zero; {@link #stamp} fills them in once the sender holds
     * a slot.
     */
    public static byte[] encode(Launch launch) {
        return encode(launch, false, 0, Map.of());
    }

    /** A payload with an EXTENSION carrying {@code flags} (CAN_STREAM added) and {@code environment}. */
    public static byte[] encodeExtended(Launch launch, int flags, Map<String, String> environment) {
        return encode(launch, true, flags | FLAG_CAN_STREAM, environment);
    }

    /**
     * A payload with an EXTENSION and, after its environment, a MORE section holding {@code more}: its TTY, COLUMNS
     * and ROWS words (for a primary whose FEATURES have MORE).
     */
    public static byte[] encodeExtended(Launch launch, int flags, Map<String, String> environment, int[] more) {
        return encode(launch, true, flags | FLAG_CAN_STREAM, environment, more);
    }

    /** The stub sent in place of a record of {@code fullLength} bytes that is too large for the ring. */
    public static byte[] encodeStub(Launch launch, int flags, int fullLength) {
        Launch empty = new Launch(List.of(), Path.of(""), launch.senderPid(), launch.launchTime(), new byte[0]);
        byte[] stub = encode(empty, true, flags | FLAG_CAN_STREAM | FLAG_LARGE, Map.of());
        ByteBuffer.wrap(stub).order(ByteOrder.nativeOrder()).putInt(stub.length - 8, fullLength);
        return stub;
    }

    public static byte[] encode(Launch launch, boolean extended, int flags, Map<String, String> environment) {
        return encode(launch, extended, flags, environment, null);
    }

    /** {@code more}: null for no MORE section, else its words after MORE_LEN (extended records only). */
    static byte[] encode(Launch launch, boolean extended, int flags, Map<String, String> environment, int[] more) {
        List<byte[]> fields = new ArrayList<>(launch.args().size() + 2 + 2 * environment.size());
        fields.add(utf8(launch.workingDirectory().toString(), "working directory", ""));
        for (int i = 0; i < launch.args().size(); i++) {
            fields.add(utf8(launch.args().get(i), "argument ", i));
        }
        fields.add(launch.additionalData());
        int fixedFields = fields.size();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            fields.add(utf8(variable.getKey(), "environment variable name", ""));
            fields.add(utf8(variable.getValue(), "environment variable ", variable.getKey()));
        }
        long size = FIXED_SIZE + (extended ? 12L : 0L) + (extended && more != null ? 4L + 4L * more.length : 0L);
        for (byte[] field : fields) {
            size += 4L + field.length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new UnencodableLaunchException("launch too large to encode: bytes=" + size);
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.nativeOrder());
        out.putInt(VERSION_OFFSET, ChannelLayout.VERSION);
        out.putInt(BODY_LENGTH_OFFSET, (int) size);
        out.putLong(SENDER_PID_OFFSET, launch.senderPid());
        out.putLong(LAUNCH_MILLIS_OFFSET, launch.launchTime().toEpochMilli());
        out.putInt(ARG_COUNT_OFFSET, launch.args().size());
        out.position(FIXED_SIZE);
        for (int i = 0; i < fields.size(); i++) {
            if (i == fixedFields) {
                out.putInt(flags).putInt(0).putInt(environment.size());
            }
            out.putInt(fields.get(i).length).put(fields.get(i));
        }
        if (extended && fields.size() == fixedFields) {
            out.putInt(flags).putInt(0).putInt(0);
        }
        if (extended && more != null) {
            out.putInt(4 * more.length);
            for (int word : more) {
                out.putInt(word);
            }
        }
        return out.array();
    }

    /** Writes the sender's slot and ticket into an encoded payload and seals it with its checksum. */
    public static void stamp(byte[] payload, int slot, long ticket) {
        ByteBuffer out = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        out.putInt(SLOT_OFFSET, slot);
        out.putLong(TICKET_OFFSET, ticket);
        CRC32C crc = new CRC32C();
        crc.update(payload, SLOT_OFFSET, payload.length - SLOT_OFFSET);
        out.putInt(CRC_OFFSET, (int) crc.getValue());
    }

    /** The format version a payload claims, or -1 if it is too short to say. */
    static int version(byte[] payload) {
        return payload.length < 4
                ? -1
                : ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
    }

    /**
     * Decodes a payload read from shared memory: untrusted.
     *
     * @throws MalformedLaunchException if any field is out of bounds, the checksum fails, or a string is not UTF-8
     */
    public static Decoded decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        if (payload.length < FIXED_SIZE) {
            throw new MalformedLaunchException("record shorter than its fixed fields: bytes=" + payload.length);
        }
        int version = in.getInt(VERSION_OFFSET);
        if (version != ChannelLayout.VERSION) {
            throw new MalformedLaunchException(
                    "record format version " + version + ", expected " + ChannelLayout.VERSION);
        }
        int bodyLength = in.getInt(BODY_LENGTH_OFFSET);
        if (bodyLength < FIXED_SIZE || bodyLength > payload.length || payload.length - bodyLength >= 8) {
            throw new MalformedLaunchException(
                    "body length out of bounds: bodyLength=" + bodyLength + ", recordPayload=" + payload.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(payload, SLOT_OFFSET, bodyLength - SLOT_OFFSET);
        if ((int) crc.getValue() != in.getInt(CRC_OFFSET)) {
            throw new MalformedLaunchException("checksum mismatch: the record was damaged in shared memory");
        }
        int argCount = in.getInt(ARG_COUNT_OFFSET);
        if (argCount < 0 || argCount > (bodyLength - FIXED_SIZE) / 4) {
            throw new MalformedLaunchException("argument count out of bounds: argCount=" + argCount);
        }
        in.limit(bodyLength).position(FIXED_SIZE);
        String workingDirectory = string(in, "working directory");
        List<String> args = new ArrayList<>(argCount);
        for (int i = 0; i < argCount; i++) {
            args.add(string(in, "argument " + i));
        }
        byte[] additionalData = bytes(in, "additional data");
        int flags = 0;
        int fullLength = 0;
        Map<String, String> environment = Map.of();
        TerminalInfo terminal = null;
        if (in.hasRemaining()) { // the EXTENSION
            if (in.remaining() < 12) {
                throw new MalformedLaunchException("extension shorter than its fixed fields: bytes=" + in.remaining());
            }
            flags = in.getInt();
            fullLength = in.getInt();
            int variables = in.getInt();
            if ((flags & FLAG_CAN_STREAM) == 0 || variables < 0 || variables > in.remaining() / 8 || fullLength < 0) {
                throw new MalformedLaunchException("extension out of bounds: flags=" + flags + ", fullLength="
                        + fullLength + ", variables=" + variables);
            }
            Map<String, String> read = new HashMap<>(variables * 2);
            for (int i = 0; i < variables; i++) {
                read.put(string(in, "environment variable name"), string(in, "environment variable " + i));
            }
            environment = read;
            if (in.hasRemaining()) { // MORE
                int moreLength = in.remaining() >= 4 ? in.getInt() : -1;
                if (moreLength < MORE_KNOWN || moreLength > in.remaining()) {
                    throw new MalformedLaunchException(
                            "MORE section out of bounds: length=" + moreLength + ", remaining=" + in.remaining());
                }
                int end = in.position() + moreLength;
                terminal = terminalInfo(in.getInt(), in.getInt(), in.getInt());
                in.position(end); // what a later sender added
            }
        }
        if (in.hasRemaining()) {
            throw new MalformedLaunchException("trailing bytes after the last field: bytes=" + in.remaining());
        }
        Path directory;
        try {
            directory = Path.of(workingDirectory);
        } catch (InvalidPathException e) {
            throw new MalformedLaunchException("working directory is not a path: " + e.getMessage());
        }
        Launch launch = LaunchTerminal.Access.get()
                .create(
                        args,
                        directory,
                        in.getLong(SENDER_PID_OFFSET),
                        Instant.ofEpochMilli(in.getLong(LAUNCH_MILLIS_OFFSET)),
                        additionalData,
                        environment,
                        LaunchTerminal.LOCAL,
                        terminal);
        return new Decoded(in.getInt(SLOT_OFFSET), in.getLong(TICKET_OFFSET), launch, flags, fullLength);
    }

    /** The public view of a MORE section's words; out-of-range values read as unknown. */
    static TerminalInfo terminalInfo(int tty, int columns, int rows) {
        return TerminalInfo.of(
                status(tty >>> TTY_STDIN_SHIFT),
                status(tty >>> TTY_STDOUT_SHIFT),
                status(tty >>> TTY_STDERR_SHIFT),
                Math.max(columns, 0),
                Math.max(rows, 0));
    }

    private static TerminalInfo.Status status(int bits) {
        return switch (bits & 3) {
            case TTY_TERMINAL -> TerminalInfo.Status.TERMINAL;
            case TTY_NOT_A_TERMINAL -> TerminalInfo.Status.NOT_A_TERMINAL;
            default -> TerminalInfo.Status.UNKNOWN;
        };
    }

    /**
     * {@code value} in UTF-8, refusing an unpaired surrogate (which UTF-8 cannot carry: {@link String#getBytes} would
     * turn it into '?'). Most strings hold no surrogate at all and take {@code getBytes}; the strict encoder runs only
     * for those that do. {@code what} and {@code which} name the field in the error, built only on failure.
     */
    private static byte[] utf8(String value, String what, Object which) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return strictUtf8(value, what, which);
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] strictUtf8(String value, String what, Object which) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new UnencodableLaunchException(
                    what + which + " is not valid Unicode (an unpaired surrogate): it cannot be "
                            + "forwarded exactly, so nothing was sent");
        }
    }

    private static String string(ByteBuffer in, String what) {
        byte[] bytes = bytes(in, what);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedLaunchException(what + " is not valid UTF-8");
        }
    }

    private static byte[] bytes(ByteBuffer in, String what) {
        if (in.remaining() < 4) {
            throw new MalformedLaunchException(what + ": length field missing");
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new MalformedLaunchException(
                    what + ": length out of bounds: length=" + length + ", remaining=" + in.remaining());
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
