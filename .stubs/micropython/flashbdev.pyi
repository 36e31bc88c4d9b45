# Micropython v1.29.0 frozen stubs
from _typeshed import Incomplete

bdev: Incomplete
