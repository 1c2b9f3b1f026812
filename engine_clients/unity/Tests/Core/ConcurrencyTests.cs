using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class LatestValueSlotTests
    {
        [Test]
        public void NewerValueReplacesWaitingOne()
        {
            var slot = new LatestValueSlot<int>();

            Assert.IsFalse(slot.Offer(1), "first offer replaces nothing");
            Assert.IsTrue(slot.Offer(2), "second offer replaces the first");

            int taken;
            Assert.IsTrue(slot.TryTake(out taken));
            Assert.AreEqual(2, taken);
            Assert.AreEqual(1, slot.DroppedCount);
            Assert.IsFalse(slot.TryTake(out taken), "slot is empty after a take");
        }

        [Test]
        public void TakeAsyncWaitsForOffer()
        {
            var slot = new LatestValueSlot<string>();
            var take = slot.TakeAsync(CancellationToken.None);
            Assert.IsFalse(take.Wait(50), "nothing offered yet");

            slot.Offer("frame 7");

            Assert.IsTrue(take.Wait(5000), "take completes after the offer");
            Assert.AreEqual("frame 7", take.Result);
        }

        [Test]
        public void TakeAsyncHonoursCancellation()
        {
            var slot = new LatestValueSlot<int>();
            using (var cancellation = new CancellationTokenSource())
            {
                var take = slot.TakeAsync(cancellation.Token);
                cancellation.Cancel();

                var error = Assert.Throws<AggregateException>(() => take.Wait(5000));
                Assert.IsInstanceOf<OperationCanceledException>(error.InnerException);
            }
        }

        [Test]
        public void ConsumerSeesIncreasingNewestValues()
        {
            var slot = new LatestValueSlot<int>();
            const int count = 20000;
            var seen = new List<int>();
            var consumer = Task.Run(async () =>
            {
                while (true)
                {
                    int value = await slot.TakeAsync(CancellationToken.None);
                    seen.Add(value);
                    if (value == count)
                    {
                        return;
                    }
                }
            });

            for (int i = 1; i <= count; i++)
            {
                slot.Offer(i);
            }

            Assert.IsTrue(consumer.Wait(10000), "consumer reaches the last value");
            for (int i = 1; i < seen.Count; i++)
            {
                Assert.Greater(seen[i], seen[i - 1], "values arrive in order");
            }
            Assert.AreEqual(count, seen.Count + slot.DroppedCount, "every value is taken or counted as dropped");
        }
    }

    [TestFixture]
    public class CallbackQueueTests
    {
        [Test]
        public void DrainRunsCallbacksInOrder()
        {
            var queue = new CallbackQueue();
            var order = new List<int>();
            queue.Post(() => order.Add(1));
            queue.Post(() => order.Add(2));
            queue.Post(() => order.Add(3));

            Assert.AreEqual(2, queue.Drain(2), "limited drain");
            Assert.AreEqual(1, queue.Drain(), "remaining callbacks");
            CollectionAssert.AreEqual(new[] { 1, 2, 3 }, order);
        }

        [Test]
        public void FailingCallbackDoesNotStopOthers()
        {
            var queue = new CallbackQueue();
            var errors = new List<Exception>();
            queue.ErrorHandler = errors.Add;
            bool ranAfter = false;
            queue.Post(() => { throw new InvalidOperationException("boom"); });
            queue.Post(() => ranAfter = true);

            queue.Drain();

            Assert.IsTrue(ranAfter);
            Assert.AreEqual(1, errors.Count);
            Assert.AreEqual("boom", errors[0].Message);
        }

        [Test]
        public void PostFromManyThreads()
        {
            var queue = new CallbackQueue();
            int total = 0;
            var threads = new List<Thread>();
            for (int t = 0; t < 4; t++)
            {
                var thread = new Thread(() =>
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        queue.Post(() => total++);
                    }
                });
                threads.Add(thread);
                thread.Start();
            }
            foreach (var thread in threads)
            {
                thread.Join();
            }

            queue.Drain();

            Assert.AreEqual(4000, total);
        }
    }

    [TestFixture]
    public class DuplexCallCompletionTests
    {
        private static Task Failed(Exception error)
        {
            var source = new TaskCompletionSource<bool>();
            source.SetException(error);
            return source.Task;
        }

        [Test]
        public void ReaderErrorWinsOverWriterError()
        {
            using (var call = new CancellationTokenSource())
            {
                var finishing = DuplexCallCompletion.FinishAsync(
                    Failed(new InvalidOperationException("call is complete")),
                    Failed(new TimeoutException("server status")),
                    call,
                    CancellationToken.None);

                var error = Assert.Throws<AggregateException>(() => finishing.Wait(5000));
                Assert.IsInstanceOf<TimeoutException>(error.InnerException);
                Assert.IsTrue(call.IsCancellationRequested, "call cancelled");
            }
        }

        [Test]
        public void WriterErrorWhenReaderSucceeds()
        {
            using (var call = new CancellationTokenSource())
            {
                var finishing = DuplexCallCompletion.FinishAsync(
                    Failed(new InvalidOperationException("write failed")), Task.FromResult(true), call, CancellationToken.None);

                var error = Assert.Throws<AggregateException>(() => finishing.Wait(5000));
                Assert.IsInstanceOf<InvalidOperationException>(error.InnerException);
                Assert.AreEqual("write failed", error.InnerException.Message);
            }
        }

        [Test]
        public void ReaderOutcomeAfterCleanWriter()
        {
            using (var call = new CancellationTokenSource())
            {
                var finishing = DuplexCallCompletion.FinishAsync(
                    Task.FromResult(true), Failed(new TimeoutException("stream failed")), call, CancellationToken.None);

                var error = Assert.Throws<AggregateException>(() => finishing.Wait(5000));
                Assert.IsInstanceOf<TimeoutException>(error.InnerException);
                Assert.IsTrue(call.IsCancellationRequested, "call cancelled");
            }
        }

        [Test]
        public void CleanEndCompletes()
        {
            using (var call = new CancellationTokenSource())
            {
                var finishing = DuplexCallCompletion.FinishAsync(Task.FromResult(true), Task.FromResult(true), call, CancellationToken.None);

                Assert.IsTrue(finishing.Wait(5000));
                Assert.IsTrue(call.IsCancellationRequested, "pending waits released");
            }
        }

        [Test]
        public void WriterWaitsForSlowReaderError()
        {
            using (var call = new CancellationTokenSource())
            {
                var reader = new TaskCompletionSource<bool>();
                var finishing = DuplexCallCompletion.FinishAsync(
                    Failed(new InvalidOperationException("call is complete")), reader.Task, call, CancellationToken.None);

                Thread.Sleep(50);
                reader.SetException(new TimeoutException("server status"));

                var error = Assert.Throws<AggregateException>(() => finishing.Wait(5000));
                Assert.IsInstanceOf<TimeoutException>(error.InnerException);
            }
        }
    }
}
