package dev.vpnrouter.app;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "check", description = "Check IOS configurations and predict whether their tunnels come up.")
final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Main.notBuilt("check", "the configuration language: issue 2");
    }
}
