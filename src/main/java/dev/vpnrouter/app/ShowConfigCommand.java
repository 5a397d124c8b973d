package dev.vpnrouter.app;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "show-config", description = "Parse an IOS configuration and print it as 'show running-config' would.")
final class ShowConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Main.notBuilt("show-config", "the configuration language: issue 2");
    }
}
