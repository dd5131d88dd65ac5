package org.miniisolate;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link EveryBoxKind}: one invocation of the class per kind, each with its own {@link Boxes}. */
final class BoxKinds implements ClassTemplateInvocationContextProvider {
    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        EveryBoxKind which = context.getRequiredTestClass().getAnnotation(EveryBoxKind.class);
        return Arrays.stream(BoxKind.values()).filter(k -> k.cgroups() ? which.cgroups() : which.plain()).map(Invocation::new);
    }

    private record Invocation(BoxKind kind) implements ClassTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return kind.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new Fixture(kind));
        }
    }

    /** One kind's boxes, made on first use and removed when the class's invocation ends. */
    private static final class Fixture implements ParameterResolver, AfterEachCallback, AfterClassTemplateInvocationCallback {
        private final BoxKind kind;
        private Boxes boxes;

        Fixture(BoxKind kind) {
            this.kind = kind;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Boxes.class;
        }

        @Override
        public synchronized Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (boxes == null) {
                boxes = Boxes.open(kind);
            }
            return boxes;
        }

        @Override
        public synchronized void afterEach(ExtensionContext context) {
            if (boxes != null) {
                boxes.returnLeases();
            }
        }

        @Override
        public synchronized void afterClassTemplateInvocation(ExtensionContext context) {
            if (boxes != null) {
                boxes.close();
                boxes = null;
            }
        }
    }
}
