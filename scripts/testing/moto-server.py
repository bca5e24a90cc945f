"""moto_server with each DynamoDB write atomic.

moto's server answers every request on its own thread, and its DynamoDB backend reads the item,
evaluates the condition and stores the new item without a lock, so two concurrent conditional
writes on one key can both pass their condition. DynamoDB applies the writes on an item one at a
time; one lock around the backend's writes gives moto that guarantee, and the contracts' "exactly
one of many concurrent writers wins" cases test the adapters, not moto's threads. Reads and the
other services stay concurrent.
"""
import functools
import threading

from moto.dynamodb.models import DynamoDBBackend
from moto.server import main

_WRITE_LOCK = threading.RLock()


def _serialized(method):
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with _WRITE_LOCK:
            return method(*args, **kwargs)

    return locked


# Every write is wrapped or the server does not start: a moto that renamed one would otherwise run
# it unlocked, and the race would come back unseen.
for _name in ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item"):
    setattr(DynamoDBBackend, _name, _serialized(getattr(DynamoDBBackend, _name)))

if __name__ == "__main__":
    main()
