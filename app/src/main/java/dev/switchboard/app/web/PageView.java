package dev.switchboard.app.web;

import java.util.List;

/** One page of a list: {@code page} is zero-based. */
public record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {
}
