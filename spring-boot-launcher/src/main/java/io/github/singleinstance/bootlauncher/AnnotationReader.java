package io.github.singleinstance.bootlauncher;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the attributes of one annotation on a class from its class file, without loading the class (JVMS 4.7.16):
 * string, int, boolean and enum values as text, arrays of them comma-separated. Only an annotation written on the class itself is seen (not a meta-annotation,
 * not an inherited one); only the class's runtime-visible annotations.
 */
final class AnnotationReader {

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private AnnotationReader() {}

    /**
     * The attributes written in the annotation of type {@code descriptor} (as {@code Lcom/example/Ann;}) on the class
     * in {@code classFile}, by name; defaults are not included. Null if the class does not carry it.
     *
     * @throws IOException if the class file is malformed
     */
    static Map<String, String> read(byte[] classFile, String descriptor) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case UTF8 -> pool[i] = in.readUTF();
                case INTEGER -> pool[i] = Integer.valueOf(in.readInt());
                case FLOAT -> in.readInt();
                case LONG, DOUBLE -> {
                    in.readLong();
                    i++;
                }
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> in.readUnsignedShort();
                case METHOD_HANDLE -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 9, 10, 11, 12, DYNAMIC, INVOKE_DYNAMIC -> in.readInt();
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        skip(in, 2 * in.readUnsignedShort()); // interfaces
        for (int members = 0; members < 2; members++) { // fields, methods
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                skip(in, 6);
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    in.readUnsignedShort();
                    skip(in, in.readInt());
                }
            }
        }
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            Object name = pool[in.readUnsignedShort()];
            int length = in.readInt();
            if (!"RuntimeVisibleAnnotations".equals(name)) {
                skip(in, length);
                continue;
            }
            int annotations = in.readUnsignedShort();
            for (int i = 0; i < annotations; i++) {
                boolean wanted = descriptor.equals(pool[in.readUnsignedShort()]);
                Map<String, String> values = new HashMap<>();
                int pairs = in.readUnsignedShort();
                for (int p = 0; p < pairs; p++) {
                    String element = (String) pool[in.readUnsignedShort()];
                    String value = elementValue(in, pool);
                    if (value != null) {
                        values.put(element, value);
                    }
                }
                if (wanted) {
                    return values;
                }
            }
            return null;
        }
        return null;
    }

    /** Reads one element_value; its text for a string, an int or an enum constant, else null (skipped). */
    private static String elementValue(DataInputStream in, Object[] pool) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 's' -> {
                return (String) pool[in.readUnsignedShort()];
            }
            case 'I' -> {
                return String.valueOf(pool[in.readUnsignedShort()]);
            }
            case 'Z' -> {
                Object value = pool[in.readUnsignedShort()];
                return value instanceof Integer bit ? (bit != 0 ? "true" : "false") : null;
            }
            case 'B', 'C', 'D', 'F', 'J', 'S', 'c' -> {
                in.readUnsignedShort();
                return null;
            }
            case 'e' -> {
                in.readUnsignedShort(); // the enum's type
                return (String) pool[in.readUnsignedShort()];
            }
            case '@' -> {
                in.readUnsignedShort();
                int pairs = in.readUnsignedShort();
                for (int p = 0; p < pairs; p++) {
                    in.readUnsignedShort();
                    elementValue(in, pool);
                }
                return null;
            }
            case '[' -> { // an array of strings (or enum constants) as their comma-separated list; others skipped
                int n = in.readUnsignedShort();
                StringBuilder list = new StringBuilder();
                boolean all = true;
                for (int i = 0; i < n; i++) {
                    String value = elementValue(in, pool);
                    if (value == null) {
                        all = false;
                    } else {
                        list.append(i == 0 ? "" : ",").append(value);
                    }
                }
                return all ? list.toString() : null;
            }
            default -> throw new IOException("unknown element value tag " + tag);
        }
    }

    private static void skip(DataInputStream in, int bytes) throws IOException {
        if (in.skipBytes(bytes) != bytes) {
            throw new IOException("truncated class file");
        }
    }
}
