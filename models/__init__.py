"""PynamoDB models, one module per table. Importing this package registers all of them."""
from models.base import REGISTRY, bind, connection  # noqa: F401
from models.users import User  # noqa: F401
from models.accounts import Account  # noqa: F401
from models.ledger import LedgerEntry  # noqa: F401
from models.wechat_tokens import WechatToken  # noqa: F401
