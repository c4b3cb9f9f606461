package io.github.singleinstance.spring;

import io.github.singleinstance.internal.settings.EffectiveSettings;

/** The run listener's reading of the settings, for the settings matrix in this module's tests. */
public final class RunListenerSettings {

    private RunListenerSettings() {}

    /**
     * What the run listener would claim {@code mainClass} with, reading this process's system properties (and no
     * environment variable): its settings, the id resolved.
     *
     * @throws io.github.singleinstance.SingleInstanceException the refusal of a malformed setting
     */
    public static EffectiveSettings of(Class<?> mainClass) {
        EarlySettings early = EarlySettings.resolve(
                mainClass.getAnnotation(SingleInstance.class), mainClass, System::getProperty, name -> null);
        EffectiveSettings effective = early.effective();
        if (effective == null) {
            throw new IllegalStateException("disabled");
        }
        return effective;
    }
}
