package org.marlopt.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The opt-in low-latency transport: one epoll event loop that spins instead of sleeping in
 * epoll_wait. A client stepping one copy at a time waits on two thread wake-ups per step (the
 * server's event loop, then its own), and on a VM a wake-up across CPUs costs tens of
 * microseconds; spinning removes the server's. The price is one core kept busy all the time, and
 * every connection shares that one loop (handlers run on it: they are short and never block).
 */
final class BusyPollTransport implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup worker;

    private BusyPollTransport(EventLoopGroup boss, EventLoopGroup worker) {
        this.boss = boss;
        this.worker = worker;
    }

    /** Puts the busy-polling event loops on {@code builder}; closing them is the caller's job. */
    static BusyPollTransport applyTo(NettyServerBuilder builder) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("busy polling needs Linux epoll, which is unavailable here ("
                    + Epoll.unavailabilityCause() + "); start the server without --busy-poll");
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("env-server-accept", true), EpollIoHandler.newFactory());
        EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("env-server-busy-poll", true),
                EpollIoHandler.newFactory(0, () -> (selectSupplier, hasTasks) -> SelectStrategy.BUSY_WAIT));
        builder.channelType(EpollServerSocketChannel.class).bossEventLoopGroup(boss).workerEventLoopGroup(worker);
        return new BusyPollTransport(boss, worker);
    }

    /** Stops both loops; call after the gRPC server has terminated. */
    @Override
    public void close() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        worker.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
