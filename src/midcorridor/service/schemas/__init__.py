"""Pydantic API shapes, one family per resource: ``XCreate`` in, ``XPublic``/``XsPublic`` out.

One module per resource (``accounts``, ``shipments``, ``events``, ``eta``, ``subscriptions``,
``planner``, ``corridor``, ``jobs``, ``whatif``, ``experiments``, ``network``; field types in
``fields``), each name re-exported here: ``from midcorridor.service.schemas import
ShipmentCreate``.
"""

from __future__ import annotations

from midcorridor.service.schemas.accounts import OrganizationCreate as OrganizationCreate
from midcorridor.service.schemas.accounts import OrganizationPublic as OrganizationPublic
from midcorridor.service.schemas.accounts import OrganizationsPublic as OrganizationsPublic
from midcorridor.service.schemas.accounts import TokenCreate as TokenCreate
from midcorridor.service.schemas.accounts import TokenCreated as TokenCreated
from midcorridor.service.schemas.accounts import TokenPublic as TokenPublic
from midcorridor.service.schemas.accounts import TokensPublic as TokensPublic
from midcorridor.service.schemas.accounts import UserCreate as UserCreate
from midcorridor.service.schemas.accounts import UserPublic as UserPublic
from midcorridor.service.schemas.accounts import UsersPublic as UsersPublic
from midcorridor.service.schemas.corridor import ClosureIn as ClosureIn
from midcorridor.service.schemas.corridor import ClosureInForcePublic as ClosureInForcePublic
from midcorridor.service.schemas.corridor import CorridorStatePublic as CorridorStatePublic
from midcorridor.service.schemas.corridor import CrossingPlanPublic as CrossingPlanPublic
from midcorridor.service.schemas.corridor import CrossingPlanRequest as CrossingPlanRequest
from midcorridor.service.schemas.corridor import FleetChanges as FleetChanges
from midcorridor.service.schemas.corridor import PlanAssignmentPublic as PlanAssignmentPublic
from midcorridor.service.schemas.corridor import PlanFiguresPublic as PlanFiguresPublic
from midcorridor.service.schemas.corridor import PlanSailingPublic as PlanSailingPublic
from midcorridor.service.schemas.corridor import PortClosurePost as PortClosurePost
from midcorridor.service.schemas.corridor import PortClosurePublic as PortClosurePublic
from midcorridor.service.schemas.corridor import PortStatePublic as PortStatePublic
from midcorridor.service.schemas.corridor import SegmentStatePublic as SegmentStatePublic
from midcorridor.service.schemas.corridor import UnitsPublic as UnitsPublic
from midcorridor.service.schemas.corridor import VesselStatePublic as VesselStatePublic
from midcorridor.service.schemas.eta import AlertPublic as AlertPublic
from midcorridor.service.schemas.eta import AlertsPublic as AlertsPublic
from midcorridor.service.schemas.eta import EtaHistoryPublic as EtaHistoryPublic
from midcorridor.service.schemas.eta import EtaPublic as EtaPublic
from midcorridor.service.schemas.eta import EtaRecordPublic as EtaRecordPublic
from midcorridor.service.schemas.eta import EtaSegmentPublic as EtaSegmentPublic
from midcorridor.service.schemas.events import BulkEventsCreate as BulkEventsCreate
from midcorridor.service.schemas.events import BulkItem as BulkItem
from midcorridor.service.schemas.events import BulkResult as BulkResult
from midcorridor.service.schemas.events import EventCreate as EventCreate
from midcorridor.service.schemas.events import EventPublic as EventPublic
from midcorridor.service.schemas.events import EventsPublic as EventsPublic
from midcorridor.service.schemas.events import ShipmentDetail as ShipmentDetail
from midcorridor.service.schemas.experiments import BottleneckPublic as BottleneckPublic
from midcorridor.service.schemas.experiments import CompareRequest as CompareRequest
from midcorridor.service.schemas.experiments import ComparisonPublic as ComparisonPublic
from midcorridor.service.schemas.experiments import DifferencePublic as DifferencePublic
from midcorridor.service.schemas.experiments import ExperimentId as ExperimentId
from midcorridor.service.schemas.experiments import ExperimentKpisPublic as ExperimentKpisPublic
from midcorridor.service.schemas.experiments import ExperimentPublic as ExperimentPublic
from midcorridor.service.schemas.experiments import ExperimentsPublic as ExperimentsPublic
from midcorridor.service.schemas.experiments import (
    ExperimentSummaryPublic as ExperimentSummaryPublic,
)
from midcorridor.service.schemas.experiments import SpreadPublic as SpreadPublic
from midcorridor.service.schemas.fields import DOCUMENT_TYPES as DOCUMENT_TYPES
from midcorridor.service.schemas.fields import EVENT_CODES as EVENT_CODES
from midcorridor.service.schemas.fields import MAX_PLAN_DAYS as MAX_PLAN_DAYS
from midcorridor.service.schemas.fields import MODES as MODES
from midcorridor.service.schemas.fields import ClientEventId as ClientEventId
from midcorridor.service.schemas.fields import EventType as EventType
from midcorridor.service.schemas.fields import Flag as Flag
from midcorridor.service.schemas.fields import Id as Id
from midcorridor.service.schemas.fields import Instant as Instant
from midcorridor.service.schemas.fields import Locode as Locode
from midcorridor.service.schemas.fields import NodeId as NodeId
from midcorridor.service.schemas.fields import OrgKind as OrgKind
from midcorridor.service.schemas.fields import SearchText as SearchText
from midcorridor.service.schemas.fields import Text100 as Text100
from midcorridor.service.schemas.fields import first_problem as first_problem
from midcorridor.service.schemas.jobs import HealthPublic as HealthPublic
from midcorridor.service.schemas.jobs import JobAccepted as JobAccepted
from midcorridor.service.schemas.jobs import JobPublic as JobPublic
from midcorridor.service.schemas.network import Country as Country
from midcorridor.service.schemas.network import PlaceHit as PlaceHit
from midcorridor.service.schemas.network import PlaceHitsPublic as PlaceHitsPublic
from midcorridor.service.schemas.network import RouteLegPublic as RouteLegPublic
from midcorridor.service.schemas.network import RouteOptionPublic as RouteOptionPublic
from midcorridor.service.schemas.network import RouteRequest as RouteRequest
from midcorridor.service.schemas.network import RoutesPublic as RoutesPublic
from midcorridor.service.schemas.network import ScenarioId as ScenarioId
from midcorridor.service.schemas.network import ScenarioPublic as ScenarioPublic
from midcorridor.service.schemas.network import ScenariosPublic as ScenariosPublic
from midcorridor.service.schemas.planner import CrossingFigures as CrossingFigures
from midcorridor.service.schemas.planner import CrossingPublic as CrossingPublic
from midcorridor.service.schemas.planner import CrossingRequest as CrossingRequest
from midcorridor.service.schemas.planner import Dwell as Dwell
from midcorridor.service.schemas.planner import DwellPublic as DwellPublic
from midcorridor.service.schemas.planner import PlanPublic as PlanPublic
from midcorridor.service.schemas.planner import PlanRequest as PlanRequest
from midcorridor.service.schemas.planner import PortQueue as PortQueue
from midcorridor.service.schemas.planner import PortQueuesPublic as PortQueuesPublic
from midcorridor.service.schemas.shipments import CargoIn as CargoIn
from midcorridor.service.schemas.shipments import CargoPublic as CargoPublic
from midcorridor.service.schemas.shipments import LegIn as LegIn
from midcorridor.service.schemas.shipments import LegPublic as LegPublic
from midcorridor.service.schemas.shipments import ShipmentCreate as ShipmentCreate
from midcorridor.service.schemas.shipments import ShipmentPositionPublic as ShipmentPositionPublic
from midcorridor.service.schemas.shipments import ShipmentPositionsPublic as ShipmentPositionsPublic
from midcorridor.service.schemas.shipments import ShipmentPublic as ShipmentPublic
from midcorridor.service.schemas.shipments import ShipmentsPublic as ShipmentsPublic
from midcorridor.service.schemas.subscriptions import DeliveriesPublic as DeliveriesPublic
from midcorridor.service.schemas.subscriptions import DeliveryPublic as DeliveryPublic
from midcorridor.service.schemas.subscriptions import SubscriptionCreate as SubscriptionCreate
from midcorridor.service.schemas.subscriptions import SubscriptionCreated as SubscriptionCreated
from midcorridor.service.schemas.subscriptions import SubscriptionPublic as SubscriptionPublic
from midcorridor.service.schemas.subscriptions import SubscriptionsPublic as SubscriptionsPublic
from midcorridor.service.schemas.whatif import EstimatePublic as EstimatePublic
from midcorridor.service.schemas.whatif import KpiDeltaPublic as KpiDeltaPublic
from midcorridor.service.schemas.whatif import ShipmentShiftPublic as ShipmentShiftPublic
from midcorridor.service.schemas.whatif import WhatIfOptionsPublic as WhatIfOptionsPublic
from midcorridor.service.schemas.whatif import WhatIfPlacePublic as WhatIfPlacePublic
from midcorridor.service.schemas.whatif import WhatIfRequest as WhatIfRequest
from midcorridor.service.schemas.whatif import WhatIfResultPublic as WhatIfResultPublic
from midcorridor.service.schemas.whatif import WhatIfVesselPublic as WhatIfVesselPublic
