from pynamodb.attributes import BinaryAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from models.base import table


class TilesByFirstKey(GlobalSecondaryIndex):
    """Level-0 tiles by the written key of their first leaf: which tile holds an entry's leaf."""

    class Meta:
        index_name = "by_first_key"
        projection = KeysOnlyProjection()

    starts = UnicodeAttribute(hash_key=True)  # "0" on level-0 tiles only (sparse)
    first_key = UnicodeAttribute(range_key=True)


@table("log_tiles")
class LogTile(Model):
    """A tile of the transparency log's tree (core.transparency.tiles): up to 256 node hashes of
    one level, concatenated. Only ever grows (the rightmost tile of a level is rewritten longer)."""

    class Meta:
        table_name = "log_tiles"

    level = NumberAttribute(hash_key=True)  # tile level: node level / 8
    index = NumberAttribute(range_key=True)
    hashes = BinaryAttribute(legacy_encoding=False)
    starts = UnicodeAttribute(null=True)
    first_key = UnicodeAttribute(null=True)
    by_first_key = TilesByFirstKey()
