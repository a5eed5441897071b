"""Pipeline stages. Importing this package registers every built-in stage by name."""
from marsad.stages import clean, text_layer  # noqa: F401
from marsad.stages import places  # noqa: F401
from marsad.stages import times  # noqa: F401
from marsad.stages import entities  # noqa: F401
from marsad.stages import events  # noqa: F401
