package dev.mona.cli;

/** Entry point of the {@code mona} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("mona 0.1.0-SNAPSHOT");
    }
}
