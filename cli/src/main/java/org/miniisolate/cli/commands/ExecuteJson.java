package org.miniisolate.cli.commands;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON form of {@code execute}: the compile step (its output in {@code compile.stdout}, stderr merged into it)
 * and the run step. Stable names and order, as {@link RunJson}.
 *
 * @param language the profile's id
 * @param verdict  COMPILATION_ERROR when the compile step failed (then {@code run} is null), else the run's verdict
 * @param compile  the compile step; null for a language without one
 * @param run      the run step; null when it did not happen
 */
@JsonPropertyOrder({"language", "box", "verdict", "compile", "run"})
record ExecuteJson(String language, int box, String verdict, RunJson compile, RunJson run) {
    static final String COMPILATION_ERROR = "COMPILATION_ERROR";
}
