package dev.switchboard.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The module rules of ARCHITECTURE.md and STYLE.md, over the main classes of every module
 * (all are on app's test class path): a module's {@code internal} package is its own; the
 * engine knows neither Spring nor the gateway; nothing depends on the app; the gateway does not
 * depend on the engine; entities and controllers stay package-private.
 */
class ModuleBoundariesTest {

    private static final List<String> MODULES = List.of("engine", "gateway", "gptj", "app");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.switchboard");
    }

    @Test
    void everyModuleIsImported() {
        for (String module : MODULES) {
            org.assertj.core.api.Assertions.assertThat(classes.stream()
                            .anyMatch(c -> c.getPackageName().startsWith("dev.switchboard." + module)))
                    .as("classes of module %s are on the class path", module).isTrue();
        }
    }

    @Test
    void noModuleReachesIntoAnothersInternalPackage() {
        for (String module : MODULES) {
            noClasses().that().resideOutsideOfPackage("dev.switchboard." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("dev.switchboard." + module + ".internal..")
                    .because("only module " + module + " may use its internal package")
                    .check(classes);
        }
    }

    @Test
    void theEngineKnowsNeitherSpringNorTheGatewayNorTheApp() {
        noClasses().that().resideInAPackage("dev.switchboard.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                        "dev.switchboard.gateway..", "dev.switchboard.app..", "dev.switchboard.gptj..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheApp() {
        noClasses().that().resideOutsideOfPackage("dev.switchboard.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.app..")
                .check(classes);
    }

    @Test
    void theGatewayAndTheGptjEngineStayBelowTheWorkflowEngine() {
        noClasses().that().resideInAnyPackage("dev.switchboard.gateway..", "dev.switchboard.gptj..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.engine..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.switchboard.gptj..")
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.gateway..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.switchboard.gateway..", "dev.switchboard.gptj..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void entitiesAndControllersArePackagePrivate() {
        classes().that().areAnnotatedWith(Entity.class).should().notBePublic()
                .because("JPA entities never leave their feature package").check(classes);
        classes().that().areAnnotatedWith(RestController.class).should().notBePublic()
                .because("controllers are thin and package-private").check(classes);
    }
}
