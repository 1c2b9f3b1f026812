using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class FrameStreamerTests
    {
        private FrameStreamer<string, string> streamer;
        private FakeDuplexStream<string, string> call;
        private List<string> responses;
        private CancellationTokenSource cancellation;

        [SetUp]
        public void SetUp()
        {
            streamer = new FrameStreamer<string, string>();
            call = new FakeDuplexStream<string, string>();
            responses = new List<string>();
            cancellation = new CancellationTokenSource();
        }

        [TearDown]
        public void TearDown()
        {
            cancellation.Cancel();
            cancellation.Dispose();
        }

        private Task Run()
        {
            return Task.Run(() => streamer.RunAsync(
                token => call, "config", response => { lock (responses) { responses.Add(response); } }, cancellation.Token));
        }

        private void WaitReady()
        {
            Assert.IsTrue(FakeDuplexStream<string, string>.WaitUntil(() => streamer.IsReadyForFrame), "streamer ready for a frame");
        }

        [Test]
        public void ConfigThenFramesAndResults()
        {
            var running = Run();
            WaitReady();

            streamer.Offer("frame 1");
            Assert.IsTrue(call.WaitForWrites(2), "frame 1 written");
            call.Respond("result 1");
            WaitReady();
            streamer.Offer("frame 2");
            Assert.IsTrue(call.WaitForWrites(3), "frame 2 written");

            CollectionAssert.AreEqual(new[] { "config", "frame 1", "frame 2" }, call.Written);
            lock (responses)
            {
                CollectionAssert.AreEqual(new[] { "result 1" }, responses);
            }
            Assert.IsFalse(running.IsCompleted, "stream still open");
        }

        [Test]
        public void OnlyNewestFrameFollowsInFlightOne()
        {
            Run();
            WaitReady();
            streamer.Offer("frame 1");
            Assert.IsTrue(call.WaitForWrites(2), "frame 1 written");
            Assert.IsFalse(streamer.IsReadyForFrame, "busy while frame 1 is in flight");

            streamer.Offer("frame 2");
            streamer.Offer("frame 3");
            Thread.Sleep(100);
            Assert.AreEqual(2, call.Written.Count, "nothing more sent before the result");

            call.Respond("result 1");
            Assert.IsTrue(call.WaitForWrites(3), "next frame written after the result");

            CollectionAssert.AreEqual(new[] { "config", "frame 1", "frame 3" }, call.Written);
            Assert.AreEqual(1, streamer.ReplacedFrames, "frame 2 replaced");
        }

        [Test]
        public void ResultTimeoutSendsNextFrame()
        {
            streamer.ResultTimeout = TimeSpan.FromMilliseconds(100);
            Run();
            WaitReady();
            streamer.Offer("frame 1");
            Assert.IsTrue(call.WaitForWrites(2), "frame 1 written");

            streamer.Offer("frame 2");

            Assert.IsTrue(call.WaitForWrites(3, 3000), "frame 2 written after the timeout");
            CollectionAssert.AreEqual(new[] { "config", "frame 1", "frame 2" }, call.Written);
        }

        [Test]
        public void ServerErrorFaultsRun()
        {
            var running = Run();
            WaitReady();

            call.Fail(new TimeoutException("deadline exceeded"));

            var error = Assert.Throws<AggregateException>(() => running.Wait(5000));
            Assert.IsInstanceOf<TimeoutException>(error.InnerException);
            Assert.IsTrue(call.IsDisposed, "call disposed");
            Assert.IsFalse(streamer.IsReadyForFrame, "not ready after the stream ended");
        }

        [Test]
        public void ServerCloseCompletesRun()
        {
            var running = Run();
            WaitReady();

            call.Close();

            Assert.IsTrue(running.Wait(5000), "run completes");
            Assert.IsFalse(running.IsFaulted);
            Assert.IsTrue(call.IsDisposed, "call disposed");
        }

        [Test]
        public void CancellationEndsRun()
        {
            var running = Run();
            WaitReady();

            cancellation.Cancel();

            var error = Assert.Throws<AggregateException>(() => running.Wait(5000));
            Assert.IsInstanceOf<OperationCanceledException>(error.InnerException);
            Assert.IsTrue(call.IsDisposed, "call disposed");
        }

        [Test]
        public void FrameFromBeforeOpenIsDropped()
        {
            streamer.Offer("stale frame");

            Run();
            WaitReady();

            CollectionAssert.AreEqual(new[] { "config" }, call.Written);
        }
    }

    [TestFixture]
    public class QueuedStreamerTests
    {
        private QueuedStreamer<string, string> streamer;
        private FakeDuplexStream<string, string> call;
        private CancellationTokenSource cancellation;

        [SetUp]
        public void SetUp()
        {
            streamer = new QueuedStreamer<string, string>();
            call = new FakeDuplexStream<string, string>();
            cancellation = new CancellationTokenSource();
        }

        [TearDown]
        public void TearDown()
        {
            cancellation.Cancel();
            cancellation.Dispose();
        }

        private Task Run(params string[] opening)
        {
            var running = Task.Run(() => streamer.RunAsync(token => call, opening, response => { }, cancellation.Token));
            Assert.IsTrue(FakeDuplexStream<string, string>.WaitUntil(() => streamer.IsOpen), "stream open");
            return running;
        }

        [Test]
        public void EnqueueWithoutStreamIsDropped()
        {
            Assert.IsFalse(streamer.Enqueue("audio"));
        }

        [Test]
        public void RequestsKeepTheirOrder()
        {
            Run("config", "push-to-talk start");
            for (int i = 0; i < 200; i++)
            {
                Assert.IsTrue(streamer.Enqueue("chunk " + i), "chunk " + i + " accepted");
            }

            Assert.IsTrue(call.WaitForWrites(202), "every request written");

            var written = call.Written;
            Assert.AreEqual("config", written[0]);
            Assert.AreEqual("push-to-talk start", written[1]);
            for (int i = 0; i < 200; i++)
            {
                Assert.AreEqual("chunk " + i, written[i + 2]);
            }
        }

        [Test]
        public void ServerErrorClosesQueue()
        {
            var running = Run("config");

            call.Fail(new TimeoutException("server status"));

            var error = Assert.Throws<AggregateException>(() => running.Wait(5000));
            Assert.IsInstanceOf<TimeoutException>(error.InnerException);
            Assert.IsFalse(streamer.IsOpen, "closed after the error");
            Assert.IsFalse(streamer.Enqueue("late chunk"), "late requests are dropped");
        }
    }

    [TestFixture]
    public class StreamRetryLoopTests
    {
        private sealed class StatusException : Exception
        {
            public readonly RpcStatusCode Code;

            public StatusException(RpcStatusCode code) : base(code.ToString())
            {
                Code = code;
            }
        }

        private static StreamFailure Classify(Exception error)
        {
            var status = error as StatusException;
            return status != null ? new StreamFailure(status.Code, status.Message) : new StreamFailure(RpcStatusCode.Unknown, error.Message);
        }

        private static ReconnectBackoff FastBackoff(int maxAttempts = 0)
        {
            return new ReconnectBackoff(0.001, 0.004, 2.0, 0.0, maxAttempts);
        }

        [Test]
        public void RetriesUntilFatalStatus()
        {
            var outcomes = new Queue<RpcStatusCode>(new[] { RpcStatusCode.Unavailable, RpcStatusCode.ResourceExhausted, RpcStatusCode.InvalidArgument });
            int attempts = 0;
            var retries = new List<RpcStatusCode>();
            var fatal = new List<StreamFailure>();

            var loop = StreamRetryLoop.RunAsync(
                token => { attempts++; throw new StatusException(outcomes.Dequeue()); },
                FastBackoff(),
                Classify,
                (failure, delay) => retries.Add(failure.Code),
                fatal.Add,
                CancellationToken.None);

            Assert.IsTrue(loop.Wait(5000), "loop stops");
            Assert.AreEqual(3, attempts);
            CollectionAssert.AreEqual(new[] { RpcStatusCode.Unavailable, RpcStatusCode.ResourceExhausted }, retries);
            Assert.AreEqual(1, fatal.Count);
            Assert.AreEqual(RpcStatusCode.InvalidArgument, fatal[0].Code);
        }

        [Test]
        public void CleanCloseIsRetried()
        {
            int attempts = 0;
            var retries = new List<StreamFailure>();
            var fatal = new List<StreamFailure>();

            var loop = StreamRetryLoop.RunAsync(
                token =>
                {
                    attempts++;
                    if (attempts < 3)
                    {
                        return Task.FromResult(true);
                    }
                    throw new StatusException(RpcStatusCode.FailedPrecondition);
                },
                FastBackoff(),
                Classify,
                (failure, delay) => retries.Add(failure),
                fatal.Add,
                CancellationToken.None);

            Assert.IsTrue(loop.Wait(5000), "loop stops");
            Assert.AreEqual(2, retries.Count);
            Assert.AreEqual(RpcStatusCode.Unavailable, retries[0].Code);
            StringAssert.Contains("closed by the server", retries[0].Detail);
            Assert.AreEqual(RpcStatusCode.FailedPrecondition, fatal[0].Code);
        }

        [Test]
        public void MaxAttemptsEndsWithLastFailure()
        {
            int attempts = 0;
            var fatal = new List<StreamFailure>();

            var loop = StreamRetryLoop.RunAsync(
                token => { attempts++; throw new StatusException(RpcStatusCode.Unavailable); },
                FastBackoff(3),
                Classify,
                (failure, delay) => { },
                fatal.Add,
                CancellationToken.None);

            Assert.IsTrue(loop.Wait(5000), "loop stops");
            Assert.AreEqual(4, attempts, "first try and three retries");
            Assert.AreEqual(1, fatal.Count);
            Assert.AreEqual(RpcStatusCode.Unavailable, fatal[0].Code);
        }

        [Test]
        public void CancellationStopsWithoutFatal()
        {
            var fatal = new List<StreamFailure>();
            using (var cancellation = new CancellationTokenSource())
            {
                var loop = StreamRetryLoop.RunAsync(
                    token => Task.Delay(Timeout.Infinite, token),
                    FastBackoff(),
                    Classify,
                    (failure, delay) => { },
                    fatal.Add,
                    cancellation.Token);

                cancellation.Cancel();

                Assert.IsTrue(loop.Wait(5000), "loop stops");
                Assert.IsFalse(loop.IsFaulted, "loop never faults");
                Assert.IsEmpty(fatal);
            }
        }

        [Test]
        public void TransportCancellationIsRetried()
        {
            int attempts = 0;
            var retries = new List<StreamFailure>();

            var loop = StreamRetryLoop.RunAsync(
                token =>
                {
                    attempts++;
                    if (attempts == 1)
                    {
                        throw new OperationCanceledException("connection reset");
                    }
                    throw new StatusException(RpcStatusCode.Unimplemented);
                },
                FastBackoff(),
                Classify,
                (failure, delay) => retries.Add(failure),
                failure => { },
                CancellationToken.None);

            Assert.IsTrue(loop.Wait(5000), "loop stops");
            Assert.AreEqual(1, retries.Count);
            Assert.AreEqual(RpcStatusCode.Cancelled, retries[0].Code);
        }
    }
}
