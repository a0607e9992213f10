package dev.mona.cli;

/** Output formats of {@code --format}. */
public enum Format {
    table, json, csv, markdown
}
