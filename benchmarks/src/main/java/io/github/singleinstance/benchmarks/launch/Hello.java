package io.github.singleinstance.benchmarks.launch;

/** The floor of every launch: a bare JVM that prints a line and exits. */
public final class Hello {

    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
