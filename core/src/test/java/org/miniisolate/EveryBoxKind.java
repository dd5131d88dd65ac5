package org.miniisolate;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class once per {@link BoxKind}: fresh and pooled, and with
 * {@code cgroups = true} also both in cgroup mode (skipped where the machine has no memory
 * controller). Its constructor takes the {@link Boxes}
 * of that kind (a private installation, removed when the class is done); boxes leased by a test
 * go back to their pool when it ends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClassTemplate
@ExtendWith(BoxKinds.class)
public @interface EveryBoxKind {
    /** Run every test without cgroups. */
    boolean plain() default true;

    /** Run every test with cgroups too: for suites whose expectations hold in both modes. */
    boolean cgroups() default false;
}
