package dev.backoff4j.mock.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Binds the Netty HTTP/1.1 pipeline and tears it down promptly, stalled connections included. */
public final class NettyServer implements AutoCloseable {
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final EventLoopGroup group;
  private final ChannelGroup channels;
  private final Channel serverChannel;

  public NettyServer(String host, int port, int ioThreads, MockEngine engine) {
    group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
    channels = new DefaultChannelGroup("backoff4j-mock", GlobalEventExecutor.INSTANCE);
    MockHttpHandler handler = new MockHttpHandler(engine);
    try {
      serverChannel = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              channels.add(ch);
              ch.pipeline()
                  .addLast(new HttpServerCodec())
                  .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                  .addLast(handler);
            }
          })
          .bind(host, port)
          .syncUninterruptibly()
          .channel();
    } catch (Exception e) {
      // Netty rethrows a failed bind's checked BindException undeclared: catch it as Exception.
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw bindFailure(host, port, e);
    }
  }

  private static RuntimeException bindFailure(String host, int port, Exception e) {
    String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    if (e instanceof IOException) {
      return new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), (IOException) e);
    }
    if (e instanceof RuntimeException) {
      return (RuntimeException) e;
    }
    return new IllegalStateException("cannot listen on " + address + ": " + e, e);
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Stops accepting, drops every open connection (stalled ones too) and stops the threads. */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
