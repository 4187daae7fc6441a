package dev.switchboard.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class EngineArchitectureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.switchboard.engine");

    @Test
    void theEngineIsPlainJava() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..")
                .check(ENGINE);
    }

    @Test
    void onlyTheBuilderReachesIntoInternal() {
        noClasses().that().resideInAPackage("dev.switchboard.engine")
                .and().doNotHaveFullyQualifiedName(WorkflowEngine.Builder.class.getName())
                .should().dependOnClassesThat().resideInAPackage("dev.switchboard.engine.internal..")
                .check(ENGINE);
    }

    @Test
    void noScriptingEngineIsUsed() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javax.script..", "org.springframework.expression..",
                "groovy..", "org.mozilla..", "org.graalvm..").check(ENGINE);
    }
}
