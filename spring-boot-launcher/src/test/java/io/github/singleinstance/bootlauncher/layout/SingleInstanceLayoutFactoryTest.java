package io.github.singleinstance.bootlauncher.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.bootlauncher.FastLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.loader.tools.CustomLoaderLayout;
import org.springframework.boot.loader.tools.Layout;
import org.springframework.boot.loader.tools.Layouts;
import org.springframework.boot.loader.tools.LoaderClassesWriter;

class SingleInstanceLayoutFactoryTest {

    @Test
    void theLayoutIsSpringBootsJarWithTheFastLauncherAsMainClass() {
        Layout layout = new SingleInstanceLayoutFactory().getLayout(null);
        Layout boot = new Layouts.Jar();

        assertThat(layout.getLauncherClassName()).isEqualTo(FastLauncher.class.getName());
        assertThat(layout.getClassesLocation()).isEqualTo(boot.getClassesLocation());
        assertThat(layout.getLibraryLocation("x.jar", null)).isEqualTo(boot.getLibraryLocation("x.jar", null));
        assertThat(layout.isExecutable()).isTrue();
    }

    @Test
    void writesSpringBootsLoaderTheLauncherClassesAndTheNameOfSpringBootsLauncher() throws IOException {
        List<String> loaderCalls = new ArrayList<>();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        LoaderClassesWriter writer = new LoaderClassesWriter() {
            @Override
            public void writeLoaderClasses() {
                loaderCalls.add("default");
            }

            @Override
            public void writeLoaderClasses(String loaderJarResourceName) {
                loaderCalls.add(loaderJarResourceName);
            }

            @Override
            public void writeEntry(String name, InputStream inputStream) throws IOException {
                entries.put(name, inputStream.readAllBytes());
            }
        };

        ((CustomLoaderLayout) new SingleInstanceLayoutFactory().getLayout(null)).writeLoadedClasses(writer);

        assertThat(loaderCalls).containsExactly("default");
        assertThat(entries)
                .containsKeys(
                        "io/github/singleinstance/bootlauncher/FastLauncher.class",
                        "io/github/singleinstance/bootlauncher/NestedJarClassLoader.class",
                        "io/github/singleinstance/bootlauncher/AnnotationReader.class");
        assertThat(entries.keySet()).noneMatch(name -> name.contains("/layout/"));
        assertThat(new String(entries.get(FastLauncher.BOOT_LAUNCHER_ENTRY), StandardCharsets.UTF_8))
                .isEqualTo(new Layouts.Jar().getLauncherClassName());
    }
}
