using System;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class ReconnectBackoffTests
    {
        private static double NextDelay(ReconnectBackoff backoff)
        {
            double delay;
            Assert.IsTrue(backoff.TryNextDelay(out delay), "a delay is handed out");
            return delay;
        }

        [Test]
        public void DelaysGrowExponentiallyToMax()
        {
            // 0.5 as the uniform value means a jitter factor of exactly 1.
            var backoff = new ReconnectBackoff(0.5, 4.0, 2.0, 0.2, 0, () => 0.5);

            var delays = new[] { NextDelay(backoff), NextDelay(backoff), NextDelay(backoff), NextDelay(backoff), NextDelay(backoff) };

            Assert.That(delays, Is.EqualTo(new[] { 0.5, 1.0, 2.0, 4.0, 4.0 }).Within(1e-12));
            Assert.AreEqual(5, backoff.Attempt);
        }

        [Test]
        public void JitterStaysWithinBounds()
        {
            var low = new ReconnectBackoff(1.0, 10.0, 2.0, 0.2, 0, () => 0.0);
            var high = new ReconnectBackoff(1.0, 10.0, 2.0, 0.2, 0, () => 0.999999);

            Assert.That(NextDelay(low), Is.EqualTo(0.8).Within(1e-9), "lowest factor 1 - jitter");
            Assert.That(NextDelay(high), Is.EqualTo(1.2).Within(1e-5), "highest factor 1 + jitter");
        }

        [Test]
        public void JitterNeverExceedsMax()
        {
            var backoff = new ReconnectBackoff(1.0, 2.0, 2.0, 0.5, 0, () => 0.999999);
            NextDelay(backoff);

            Assert.That(NextDelay(backoff), Is.LessThanOrEqualTo(2.0));
        }

        [Test]
        public void ResetStartsOver()
        {
            var backoff = new ReconnectBackoff(0.5, 30.0, 2.0, 0.0);
            NextDelay(backoff);
            NextDelay(backoff);

            backoff.Reset();

            Assert.AreEqual(0, backoff.Attempt);
            Assert.That(NextDelay(backoff), Is.EqualTo(0.5).Within(1e-12));
        }

        [Test]
        public void MaxAttemptsStopsRetries()
        {
            var backoff = new ReconnectBackoff(0.1, 1.0, 2.0, 0.0, 2);
            NextDelay(backoff);
            NextDelay(backoff);

            double delay;
            Assert.IsFalse(backoff.TryNextDelay(out delay));
        }

        [Test]
        public void ManyAttemptsDoNotOverflow()
        {
            var backoff = new ReconnectBackoff(1.0, 60.0, 10.0, 0.0);
            double delay = 0;
            for (int i = 0; i < 2000; i++)
            {
                delay = NextDelay(backoff);
            }

            Assert.AreEqual(60.0, delay);
        }

        [Test]
        public void InvalidSettingsAreRejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(0.0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(2.0, 1.0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(1.0, 2.0, 0.5));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(1.0, 2.0, 2.0, 1.0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(1.0, 2.0, 2.0, 0.1, -1));
        }

        [Test]
        public void RetryableCodesFollowContract()
        {
            Assert.IsTrue(ReconnectBackoff.IsRetryable(RpcStatusCode.Unavailable), "UNAVAILABLE");
            Assert.IsTrue(ReconnectBackoff.IsRetryable(RpcStatusCode.ResourceExhausted), "RESOURCE_EXHAUSTED");
            Assert.IsTrue(ReconnectBackoff.IsRetryable(RpcStatusCode.DeadlineExceeded), "DEADLINE_EXCEEDED");
            Assert.IsFalse(ReconnectBackoff.IsRetryable(RpcStatusCode.InvalidArgument), "INVALID_ARGUMENT");
            Assert.IsFalse(ReconnectBackoff.IsRetryable(RpcStatusCode.FailedPrecondition), "FAILED_PRECONDITION");
            Assert.IsFalse(ReconnectBackoff.IsRetryable(RpcStatusCode.Unimplemented), "UNIMPLEMENTED");
            Assert.IsFalse(ReconnectBackoff.IsRetryable(RpcStatusCode.Cancelled), "CANCELLED");
        }
    }
}
